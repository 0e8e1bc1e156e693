package io.drover.cli.command;

import io.drover.api.v1.AppSpec;
import io.drover.api.v1.FieldChange;
import io.drover.api.v1.HostAction;
import io.drover.api.v1.Plan;
import io.drover.api.v1.PlanAppRequest;
import io.drover.cli.output.JsonOutput;
import io.drover.cli.spec.InvalidSpecException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code drover plan}: what {@code drover apply} of a spec would change, without changing anything. */
@Command(
    name = "plan",
    description = {
      "Shows what applying the spec would change: the spec fields that differ from the current revision, and what each host would do. Changes nothing (the source is packed to compare its digest, not uploaded).",
      "Exit status: 0 no change, 2 changes, 1 an error (invalid spec, server unreachable), 64 a usage error."
    })
public final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec command;
  @Mixin ServerOptions server;
  @Mixin OutputOption output;

  @Option(names = {"-f", "--file"}, required = true, paramLabel = "SPEC.yaml", description = "The app's spec file.")
  Path file;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    PackedSpec packed;
    try {
      packed = PackedSpec.read(file);
    } catch (InvalidSpecException e) {
      err.println(e.getMessage());
      err.flush();
      return ExitCode.FAILED.code();
    }
    AppSpec app = packed.spec();
    Plan plan;
    try (OperatorConnection connection = server.connect()) {
      plan = connection.unary().planApp(PlanAppRequest.newBuilder().setSpec(app).build());
    }
    if (output.json()) {
      JsonOutput.print(out, plan);
    } else {
      print(out, plan);
    }
    out.flush();
    return (plan.getChanged() ? ExitCode.CHANGES : ExitCode.OK).code();
  }

  private static void print(PrintWriter out, Plan plan) {
    String app = plan.getApp();
    if (!plan.getChanged()) {
      out.println(app + ": no change (revision " + plan.getRevision() + ")");
    } else if (plan.getCurrentRevision() == 0) {
      out.println(app + ": new app, revision " + plan.getRevision());
    } else {
      out.println(app + ": revision " + plan.getCurrentRevision() + " -> " + plan.getRevision());
    }
    for (FieldChange change : plan.getChangesList()) {
      out.println("  " + (change.getField().equals("source")
          ? "source changed"
          : change.getField() + ": " + value(change.getBefore()) + " -> " + value(change.getAfter())));
    }
    if (plan.getHostsCount() > 0) {
      out.println("hosts:");
      for (HostAction host : plan.getHostsList()) {
        out.println("  " + host.getHost() + ": " + host.getDescription());
      }
    }
    if (!plan.getShortfall().isEmpty()) {
      out.println("shortfall: " + plan.getShortfall());
    }
  }

  private static String value(String v) {
    return v.isEmpty() ? "(unset)" : v;
  }
}
