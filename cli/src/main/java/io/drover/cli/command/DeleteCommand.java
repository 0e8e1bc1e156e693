package io.drover.cli.command;

import io.drover.spec.DurationText;
import io.drover.api.v1.DeleteAppRequest;
import io.drover.api.v1.DeleteAppResponse;
import io.drover.api.v1.Instance;
import io.drover.cli.output.LiveBlock;
import io.drover.cli.output.Terminal;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover delete}: removes an app from the server and, in time, from every host. */
@Command(name = "delete", description = "Deletes an app; with --wait, waits until no host runs it.")
public final class DeleteCommand implements Callable<Integer> {
  private final Terminal terminal;

  @Spec CommandSpec command;
  @Mixin ServerOptions server;
  @Mixin WaitOptions wait;

  @Parameters(paramLabel = "APP", description = "The app's name.")
  String app;

  DeleteCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    try (OperatorConnection connection = server.connect()) {
      DeleteAppResponse deleted = connection.unary().deleteApp(DeleteAppRequest.newBuilder().setApp(app).build());
      out.println(deleted.getApp() + ": deleted");
      out.flush();
      if (!wait.enabled()) {
        return ExitCode.OK.code();
      }
      LiveBlock block = terminal.stdoutIsTerminal() ? new LiveBlock(out) : null;
      Map<String, String> lastLine = new HashMap<>();
      int[] left = {0};
      StatusWatch.Outcome gone;
      try {
        gone =
          StatusWatch.follow(
              connection,
              app,
              wait.timeout(),
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
        gone = new StatusWatch.Outcome(true, null);
      }
      if (!gone.done()) {
        throw CommandFailure.timedOut(app + ": still on " + left[0] + " host" + (left[0] == 1 ? "" : "s") + " after "
            + DurationText.format(wait.timeout()) + gone.note());
      }
      out.println(app + ": removed from every host");
      out.flush();
    }
    return ExitCode.OK.code();
  }
}
