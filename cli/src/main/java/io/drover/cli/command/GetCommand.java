package io.drover.cli.command;

import io.drover.api.v1.App;
import io.drover.api.v1.GetAppRequest;
import io.drover.cli.output.JsonOutput;
import io.drover.cli.spec.SpecYaml;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover get}: prints an app's stored spec, secrets by name only. */
@Command(name = "get", description = "Prints an app's stored spec (secrets by name only, never their values).")
public final class GetCommand implements Callable<Integer> {
  /** How {@code get} prints the spec. */
  public enum SpecFormat {
    YAML,
    JSON
  }

  @Spec CommandSpec command;
  @Mixin ServerOptions server;

  @Parameters(paramLabel = "APP", description = "The app's name.")
  String app;

  @Option(names = {"-o", "--output"}, defaultValue = "yaml", paramLabel = "FORMAT", description = "yaml or json.")
  SpecFormat output;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    try (OperatorConnection connection = server.connect()) {
      // the server masks secrets; masking again keeps a value off the terminal whatever it sent
      App stored = SpecYaml.masked(connection.unary().getApp(GetAppRequest.newBuilder().setApp(app).build()));
      if (output == SpecFormat.JSON) {
        JsonOutput.print(out, stored);
      } else {
        out.print(SpecYaml.write(stored));
        out.flush();
      }
    }
    return 0;
  }
}
