package io.drover.cli.command;

import io.drover.api.v1.AppStatus;
import io.drover.api.v1.GetAppStatusRequest;
import io.drover.api.v1.Instance;
import io.drover.cli.output.JsonOutput;
import io.drover.cli.output.Table;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover status}: shows where an app runs and how each instance is doing. */
@Command(name = "status", description = "Shows an app's instances: host, revision, state, health.")
public final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec command;
  @Mixin ServerOptions server;
  @Mixin OutputOption output;

  @Parameters(paramLabel = "APP", description = "The app's name.")
  String app;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    AppStatus status;
    try (OperatorConnection connection = server.connect()) {
      status = connection.unary().getAppStatus(GetAppStatusRequest.newBuilder().setApp(app).build());
    }
    if (output.json()) {
      JsonOutput.print(out, status);
      return 0;
    }
    out.println(
        status.getExists()
            ? status.getApp() + ": revision " + status.getRevision() + ", " + status.getInstancesCount() + " of " + status.getDesired() + " instances placed"
            : status.getApp() + ": deleted, being removed from " + status.getInstancesCount() + " hosts");
    if (!status.getShortfall().isEmpty()) {
      out.println("warning: " + status.getShortfall());
    }
    boolean processes = status.getInstancesList().stream().anyMatch(i -> i.getProcessesCount() > 0);
    Table table = processes
        ? new Table("HOST", "REVISION", "STATE", "HEALTHY", "PROCESSES", "REASON")
        : new Table("HOST", "REVISION", "STATE", "HEALTHY", "REASON");
    for (Instance instance : status.getInstancesList()) {
      if (processes) {
        table.row(instance.getHost(), instance.getRevision(), instance.getState(), instance.getHealthy() ? "yes" : "no",
            processes(instance), instance.getReason());
      } else {
        table.row(instance.getHost(), instance.getRevision(), instance.getState(), instance.getHealthy() ? "yes" : "no",
            instance.getReason());
      }
    }
    table.print(out);
    return 0;
  }

  /** The instance's processes, e.g. {@code worker 2/2, beat 0/1 (FATAL)}: copies running of those wanted. */
  static String processes(Instance instance) {
    return instance.getProcessesList().stream()
        .map(p -> p.getName() + " " + p.getRunning() + "/" + p.getWanted()
            + (p.getOtherStatesCount() == 0 ? "" : " (" + String.join(", ", p.getOtherStatesList()) + ")"))
        .collect(java.util.stream.Collectors.joining(", "));
  }
}
