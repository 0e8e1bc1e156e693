package io.drover.cli;

import io.drover.cli.command.CommandFailure;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failed command into one line on stderr, {@code drover: <reason>}, and exit status 1; the
 * stack trace follows only when {@code DROVER_DEBUG=1}.
 */
final class FailureReporter implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
    PrintWriter err = cli.getErr();
    err.println("drover: " + reason(e));
    if (debug()) {
      e.printStackTrace(err);
    }
    err.flush();
    return 1;
  }

  static String reason(Throwable e) {
    if (e instanceof StatusRuntimeException s) {
      Status status = s.getStatus();
      String code = status.getCode().name().toLowerCase(Locale.ROOT).replace('_', ' ');
      if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
        return "server did not answer in time" + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")");
      }
      return status.getDescription() == null || status.getDescription().isBlank() ? code : status.getDescription();
    }
    if (e instanceof CommandFailure || e instanceof io.drover.cli.dev.DevFailure || e instanceof IllegalArgumentException || e instanceof java.io.IOException) {
      return e.getMessage() == null ? e.toString() : e.getMessage();
    }
    if (e instanceof java.io.UncheckedIOException u) {
      return reason(u.getCause());
    }
    return e.toString();
  }

  private static boolean debug() {
    return "1".equals(System.getenv("DROVER_DEBUG"));
  }

  /** Usage errors: {@code drover: <problem>} and a hint, exit status 2. */
  static final class Usage implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException e, String[] args) {
      CommandLine cli = e.getCommandLine();
      PrintWriter err = cli.getErr();
      err.println("drover: " + e.getMessage());
      if (debug()) {
        e.printStackTrace(err);
      }
      err.println("Try '" + cli.getCommandSpec().qualifiedName() + " --help' for more information.");
      err.flush();
      return cli.getCommandSpec().exitCodeOnInvalidInput();
    }
  }
}
