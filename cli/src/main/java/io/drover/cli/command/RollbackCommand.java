package io.drover.cli.command;

import io.drover.api.v1.ApplyAppResponse;
import io.drover.api.v1.RollbackAppRequest;
import io.drover.cli.output.Format;
import io.drover.cli.output.JsonOutput;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover rollback}: stores a new revision equal to an earlier one, which then rolls out. */
@Command(
    name = "rollback",
    description = "Makes a new revision equal to an earlier one (default: the one before the current) and rolls it out.")
public final class RollbackCommand implements Callable<Integer> {
  @Spec CommandSpec command;
  @Mixin ServerAddress server;

  @Parameters(paramLabel = "APP", description = "The app's name.")
  String app;

  @Option(names = "--to", paramLabel = "REVISION", description = "The revision to go back to.")
  long to;

  @Option(names = "--wait", description = "Follow the rollout; exit 1 when it failed or was reverted.")
  boolean waitForRollout;

  @Option(
      names = "--timeout",
      defaultValue = "30m",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT", description = "table or json.")
  Format output;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    if (to < 0) {
      throw new CommandFailure("--to: must be a positive revision, got " + to);
    }
    try (OperatorConnection connection = server.connect()) {
      ApplyAppResponse applied = connection.unary()
          .rollbackApp(RollbackAppRequest.newBuilder().setApp(app).setToRevision(to).build());
      if (output == Format.JSON) {
        JsonOutput.print(out, applied);
      } else {
        out.println(applied.getApp() + ": " + (applied.getChanged()
            ? "revision " + applied.getRevision() + " applied" + (to > 0 ? " (same as revision " + to + ")" : "")
            : "unchanged at revision " + applied.getRevision()));
      }
      out.flush();
      if (waitForRollout) {
        PrintWriter progress = output == Format.JSON ? command.commandLine().getErr() : out;
        RolloutFollow.await(connection, applied.getApp(), applied.getRevision(), timeout, progress, null);
      }
    }
    return 0;
  }
}
