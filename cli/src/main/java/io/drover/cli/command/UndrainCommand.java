package io.drover.cli.command;

import io.drover.api.v1.DrainHostResponse;
import io.drover.api.v1.UndrainHostRequest;
import io.drover.cli.output.JsonOutput;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover undrain}: makes a drained host eligible for placement again. */
@Command(
    name = "undrain",
    description = "Makes a drained host eligible for placement again: \"all\" apps come back to it; \"count: N\" apps stay where they run now.")
public final class UndrainCommand implements Callable<Integer> {
  @Spec CommandSpec command;
  @Mixin ServerOptions server;
  @Mixin OutputOption output;

  @Parameters(paramLabel = "HOST", description = "The host's name.")
  String host;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    try (OperatorConnection connection = server.connect()) {
      DrainHostResponse undrained = connection.unary().undrainHost(UndrainHostRequest.newBuilder().setHost(host).build());
      if (output.json()) {
        JsonOutput.print(out, undrained);
      } else {
        out.println(host + ": eligible for placement again");
      }
    }
    out.flush();
    return 0;
  }
}
