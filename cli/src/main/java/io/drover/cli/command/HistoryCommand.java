package io.drover.cli.command;

import io.drover.api.v1.ListRevisionsRequest;
import io.drover.api.v1.Revision;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover history}: an app's revisions, newest first, with what each changed. */
@Command(name = "history", description = "Lists an app's revisions: when, who and what changed.")
public final class HistoryCommand implements Callable<Integer> {
  @Spec CommandSpec command;
  @Mixin ServerOptions server;
  @Mixin OutputOption output;

  @Parameters(paramLabel = "APP", description = "The app's name.")
  String app;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    List<Revision> revisions;
    try (OperatorConnection connection = server.connect()) {
      revisions = connection.unary().listRevisions(ListRevisionsRequest.newBuilder().setApp(app).build()).getRevisionsList();
    }
    if (output.json()) {
      JsonOutput.printArray(out, revisions);
      return 0;
    }
    Table table = new Table("REVISION", "CREATED", "BY", "CHANGES");
    Clock clock = Clock.systemUTC();
    for (Revision r : revisions) {
      String changes = String.join(", ", r.getChangesList());
      if (r.getRollbackOf() > 0) {
        changes = "rollback to " + r.getRollbackOf() + (changes.isEmpty() ? "" : ": " + changes);
      }
      table.row(r.getRevision() + (r.getCurrent() ? " (current)" : ""), Ages.ago(r.getCreatedAt(), clock),
          r.getCreatedBy().isEmpty() ? "-" : r.getCreatedBy(), changes.isEmpty() ? "-" : changes);
    }
    table.print(out);
    return 0;
  }
}
