package io.drover.cli;

import io.drover.cli.command.CommandFailure;
import io.drover.cli.command.ExitCode;
import io.drover.cli.dev.DevFailure;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failed command into one line on stderr, {@code drover: <reason>}, and its exit status
 * ({@link ExitCode#FAILED} unless a {@link CommandFailure} says otherwise); the stack trace follows
 * only with {@code DROVER_DEBUG}.
 */
final class FailureReporter implements IExecutionExceptionHandler {
  private final boolean debug;

  FailureReporter(boolean debug) {
    this.debug = debug;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
    PrintWriter err = cli.getErr();
    err.println("drover: " + OneLine.of(reason(e)));
    if (debug) {
      e.printStackTrace(err);
    }
    err.flush();
    return e instanceof CommandFailure f ? f.exitCode().code() : ExitCode.FAILED.code();
  }

  static String reason(Throwable e) {
    if (e instanceof StatusRuntimeException s) {
      Status status = s.getStatus();
      String code = status.getCode().name().toLowerCase(Locale.ROOT).replace('_', ' ');
      if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
        return "server did not answer in time" + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")");
      }
      return status.getDescription() == null || status.getDescription().isBlank() ? "server answered " + code : status.getDescription();
    }
    if (e instanceof UncheckedIOException u) {
      return reason(u.getCause());
    }
    boolean explained = e instanceof CommandFailure || e instanceof DevFailure || e instanceof IOException
        || e instanceof IllegalArgumentException || e instanceof IllegalStateException;
    if (explained && e.getMessage() != null && !e.getMessage().isBlank()) {
      return e.getMessage();
    }
    return "unexpected " + e + " (DROVER_DEBUG=1 shows where)";
  }
}
