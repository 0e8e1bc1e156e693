package io.drover.cli.command;

import io.drover.spec.DurationText;
import io.drover.api.v1.GetRolloutRequest;
import io.drover.api.v1.Rollout;
import io.drover.api.v1.RolloutHost;
import io.drover.cli.output.JsonOutput;
import io.drover.cli.output.Table;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover rollout}: the rolling release of an app's latest revision. */
@Command(
    name = "rollout",
    description = "Shows how an app's latest revision rolls out across its hosts.",
    subcommands = {RolloutCommand.StatusCommand.class})
public final class RolloutCommand implements Runnable {
  @Spec CommandSpec command;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(command.commandLine(), "missing subcommand (status)");
  }

  /** {@code drover rollout status APP [--watch]}. */
  @Command(name = "status", description = "Shows the latest rollout per host; with --watch, follows it until it ends.")
  public static final class StatusCommand implements Callable<Integer> {
    @Spec CommandSpec command;
    @Mixin ServerOptions server;
    @Mixin Timeout timeout;
    @Mixin OutputOption output;

    @Parameters(paramLabel = "APP", description = "The app's name.")
    String app;

    @Option(names = {"-w", "--watch"},
        description = "Print each change until the rollout ends; exit 1 when it failed or was reverted, 3 when "
            + "--timeout runs out.")
    boolean watch;

    @Override
    public Integer call() {
      PrintWriter out = command.commandLine().getOut();
      GetRolloutRequest request = GetRolloutRequest.newBuilder().setApp(app).build();
      try (OperatorConnection connection = server.connect()) {
        Rollout rollout = connection.unary().getRollout(request);
        if (!watch) {
          print(out, rollout);
          return ExitCode.OK.code();
        }
        RolloutView view = new RolloutView(rollout.getRevision());
        StatusWatch.Outcome watched = StatusWatch.follow(connection, timeout.value(),
            left -> connection.streaming(left).watchRollout(request), r -> {
              List<String> lines = view.observe(r);
              if (output.json()) {
                JsonOutput.print(out, r);
              } else {
                lines.forEach(out::println);
                out.flush();
              }
              return view.finished();
            });
        if (!watched.done()) {
          throw CommandFailure.timedOut(app + ": rollout still running after " + DurationText.format(timeout.value())
              + ": waiting for " + view.waiting() + watched.note());
        }
        if (!view.succeeded()) {
          throw new CommandFailure(view.failure());
        }
        return ExitCode.OK.code();
      }
    }

    private void print(PrintWriter out, Rollout rollout) {
      if (output.json()) {
        JsonOutput.print(out, rollout);
        return;
      }
      out.println(RolloutView.headline(rollout));
      Table table = new Table("HOST", "STEP", "REVISION", "STATE", "HEALTHY", "REASON");
      for (RolloutHost h : rollout.getHostsList()) {
        table.row(h.getHost(), h.getStep(), h.getRevision(), h.getState(), h.getHealthy() ? "yes" : "no", h.getReason());
      }
      table.print(out);
    }
  }
}
