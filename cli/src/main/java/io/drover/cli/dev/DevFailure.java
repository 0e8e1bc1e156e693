package io.drover.cli.dev;

/** Why the development environment could not start or stop, in words for the person running it. */
public final class DevFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DevFailure(String message) {
    super(message);
  }

  public DevFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
