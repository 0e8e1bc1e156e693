package io.drover.cli.command;

import io.drover.api.v1.AppSummary;
import io.drover.api.v1.ListAppsRequest;
import io.drover.cli.output.Ages;
import io.drover.cli.output.JsonOutput;
import io.drover.cli.output.Table;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code drover apps}: lists the apps with how many instances are placed, running and healthy. */
@Command(name = "apps", description = "Lists the apps.")
public final class AppsCommand implements Callable<Integer> {
  @Spec CommandSpec command;
  @Mixin ServerOptions server;
  @Mixin OutputOption output;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    List<AppSummary> apps;
    try (OperatorConnection connection = server.connect()) {
      apps = connection.unary().listApps(ListAppsRequest.getDefaultInstance()).getAppsList();
    }
    if (output.json()) {
      JsonOutput.printArray(out, apps);
      return 0;
    }
    Table table = new Table("NAME", "REVISION", "PLACED", "RUNNING", "HEALTHY", "UPDATED");
    Clock clock = Clock.systemUTC();
    for (AppSummary app : apps) {
      table.row(app.getName(), app.getRevision(), app.getPlaced(), app.getRunning(), app.getHealthy(), Ages.ago(app.getUpdatedAt(), clock));
    }
    table.print(out);
    return 0;
  }
}
