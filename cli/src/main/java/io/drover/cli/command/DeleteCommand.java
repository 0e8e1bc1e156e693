package io.drover.cli.command;

import io.drover.cli.spec.DurationText;
import io.drover.api.v1.DeleteAppRequest;
import io.drover.api.v1.DeleteAppResponse;
import io.drover.api.v1.Instance;
import io.drover.cli.output.LiveBlock;
import io.drover.cli.output.Terminal;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover delete}: removes an app from the server and, in time, from every host. */
@Command(name = "delete", description = "Deletes an app; with --wait, waits until no host runs it.")
public final class DeleteCommand implements Callable<Integer> {
  @Spec CommandSpec command;
  @Mixin ServerAddress server;

  @Parameters(paramLabel = "APP", description = "The app's name.")
  String app;

  @Option(names = "--wait", description = "Wait until every host has removed the app.")
  boolean waitForRemoval;

  @Option(
      names = "--timeout",
      defaultValue = "5m",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    try (OperatorConnection connection = server.connect()) {
      DeleteAppResponse deleted = connection.unary().deleteApp(DeleteAppRequest.newBuilder().setApp(app).build());
      out.println(deleted.getApp() + ": deleted");
      out.flush();
      if (!waitForRemoval) {
        return 0;
      }
      Terminal terminal = Terminal.of(command.commandLine());
      LiveBlock block = terminal.stdoutIsTerminal() ? new LiveBlock(out) : null;
      Map<String, String> lastLine = new HashMap<>();
      int[] left = {0};
      boolean gone;
      try {
        gone =
          StatusWatch.follow(
              connection,
              app,
              timeout,
              status -> {
                if (block != null) {
                  block.show(status.getInstancesList().stream()
                      .map(i -> terminal.pending(RolloutProgress.describe(i))).toList());
                }
                for (Instance instance : block != null ? java.util.List.<Instance>of() : status.getInstancesList()) {
                  String line = RolloutProgress.describe(instance);
                  if (!line.equals(lastLine.put(instance.getHost(), line))) {
                    out.println(line);
                  }
                }
                out.flush();
                left[0] = status.getInstancesCount();
                return status.getInstancesCount() == 0;
              });
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
          throw e;
        }
        gone = true;
      }
      if (!gone) {
        throw new CommandFailure(app + ": still on " + left[0] + " host" + (left[0] == 1 ? "" : "s") + " after " + DurationText.format(timeout));
      }
      out.println(app + ": removed from every host");
      out.flush();
    }
    return 0;
  }
}
