package io.drover.cli.command;

import io.drover.api.v1.AuditEntry;
import io.drover.api.v1.ListAuditRequest;
import io.drover.cli.output.JsonOutput;
import io.drover.cli.output.Table;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code drover audit}: who changed what, when, from where (admin only). */
@Command(name = "audit", description = "Shows the audit log, newest first.")
public final class AuditCommand implements Callable<Integer> {
  @Spec CommandSpec command;
  @Mixin ServerOptions server;
  @Mixin OutputOption output;

  @Option(names = "--limit", defaultValue = "100", paramLabel = "N", description = "How many entries (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    List<AuditEntry> entries;
    try (OperatorConnection connection = server.connect()) {
      entries = connection.access().listAudit(ListAuditRequest.newBuilder().setLimit(limit).build()).getEntriesList();
    }
    PrintWriter out = command.commandLine().getOut();
    if (output.json()) {
      JsonOutput.printArray(out, entries);
      return 0;
    }
    Table table = new Table("TIME", "ACTOR", "ACTION", "TARGET", "OUTCOME", "REVISION", "FROM");
    for (AuditEntry e : entries) {
      table.row(Instant.ofEpochSecond(e.getAt().getSeconds()).toString(), e.getActor(), e.getMethod(), e.getTarget(),
          e.getOutcome(), e.getRevision() == 0 ? "" : Long.toString(e.getRevision()), e.getPeer());
    }
    table.print(out);
    return 0;
  }
}
