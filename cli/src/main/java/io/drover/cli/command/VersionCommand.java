package io.drover.cli.command;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drover.api.v1.WhoAmIRequest;
import io.drover.build.Build;
import io.drover.cli.output.JsonOutput;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code drover version}: this CLI's version and the server's, so a skew shows ({@code drover -V}
 * stays offline and prints the CLI's alone). Agents' versions are in {@code drover hosts}.
 */
@Command(name = "version", description = "Shows the CLI's and the server's versions (drover -V: the CLI's, offline).")
public final class VersionCommand implements Callable<Integer> {
  @Spec CommandSpec command;
  @Mixin ServerOptions server;
  @Mixin OutputOption output;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    if (!output.json()) {
      out.println("client: drover " + Build.version()); // before asking, so it shows when the server does not answer
      out.flush();
    }
    String serverVersion;
    try (OperatorConnection connection = server.connect()) {
      serverVersion = connection.access().whoAmI(WhoAmIRequest.getDefaultInstance()).getServerVersion();
    }
    if (output.json()) {
      ObjectNode json = JsonNodeFactory.instance.objectNode();
      json.put("client", Build.version());
      json.put("server", serverVersion);
      JsonOutput.write(out, json);
      return 0;
    }
    out.println("server: drover " + serverVersion);
    if (!serverVersion.equals(Build.version())) {
      command.commandLine().getErr().println("warning: the CLI and the server are of different versions");
    }
    out.flush();
    return 0;
  }
}
