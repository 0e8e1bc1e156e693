package io.drover.cli.command;

/**
 * A failure the user can act on: {@code drover} prints its message as one line and exits with its
 * {@link ExitCode} ({@link ExitCode#FAILED} unless made with {@link #timedOut} or {@link #usage}).
 */
public final class CommandFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ExitCode exitCode;

  public CommandFailure(String message) {
    this(ExitCode.FAILED, message, null);
  }

  public CommandFailure(String message, Throwable cause) {
    this(ExitCode.FAILED, message, cause);
  }

  private CommandFailure(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** Waiting ran out of time ({@link ExitCode#TIMED_OUT}); what was started goes on without the CLI. */
  public static CommandFailure timedOut(String message) {
    return new CommandFailure(ExitCode.TIMED_OUT, message, null);
  }

  /**
   * The command was used wrongly ({@link ExitCode#USAGE}) in a way found only when it ran, e.g. a
   * DROVER_ADDR that is not HOST:PORT.
   */
  public static CommandFailure usage(String message) {
    return new CommandFailure(ExitCode.USAGE, message, null);
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}
