package io.drover.cli.command;

import io.drover.api.v1.ApplyAppResponse;
import io.drover.api.v1.RollbackAppRequest;
import io.drover.cli.output.JsonOutput;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover rollback}: stores a new revision equal to an earlier one, which then rolls out. */
@Command(
    name = "rollback",
    description = "Makes a new revision equal to an earlier one (default: the one before the current) and rolls it "
        + "out; with --wait, follows the rollout until it ends.")
public final class RollbackCommand implements Callable<Integer> {
  @Spec CommandSpec command;
  @Mixin ServerOptions server;
  @Mixin WaitOptions wait;
  @Mixin OutputOption output;

  @Parameters(paramLabel = "APP", description = "The app's name.")
  String app;

  @Option(names = "--to", paramLabel = "REVISION", description = "The revision to go back to.")
  long to;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    if (to < 0) {
      throw new ParameterException(command.commandLine(), "--to: must be a positive revision, got " + to);
    }
    try (OperatorConnection connection = server.connect()) {
      ApplyAppResponse applied = connection.unary()
          .rollbackApp(RollbackAppRequest.newBuilder().setApp(app).setToRevision(to).build());
      if (output.json()) {
        JsonOutput.print(out, applied);
      } else {
        out.println(applied.getApp() + ": " + (applied.getChanged()
            ? "revision " + applied.getRevision() + " applied" + (to > 0 ? " (same as revision " + to + ")" : "")
            : "unchanged at revision " + applied.getRevision()));
      }
      out.flush();
      if (wait.enabled()) {
        PrintWriter progress = output.json() ? command.commandLine().getErr() : out;
        RolloutFollow.await(connection, applied.getApp(), applied.getRevision(), wait.timeout(), progress, null);
      }
    }
    return ExitCode.OK.code();
  }
}
