package io.drover.cli.command;

/** A failure the user can act on; {@code drover} prints its message as one line and exits 1. */
public final class CommandFailure extends RuntimeException {
  public CommandFailure(String message) {
    super(message);
  }

  public CommandFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
