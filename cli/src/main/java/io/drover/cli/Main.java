package io.drover.cli;

import io.drover.cli.command.AgentCommand;
import io.drover.cli.command.ApplyCommand;
import io.drover.cli.command.AppsCommand;
import io.drover.cli.command.DeleteCommand;
import io.drover.cli.command.GetCommand;
import io.drover.cli.command.HostsCommand;
import io.drover.cli.command.ServerCommand;
import io.drover.cli.command.StatusCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code drover} command: operator commands, and the server and agent entry points. */
@Command(
    name = "drover",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = Main.Version.class,
    description = "Deploys Python web apps (Gunicorn behind Nginx, run by Supervisor) to a fleet of hosts.",
    subcommands = {
      ApplyCommand.class,
      GetCommand.class,
      AppsCommand.class,
      StatusCommand.class,
      HostsCommand.class,
      DeleteCommand.class,
      ServerCommand.class,
      AgentCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @Spec CommandSpec command;

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(out, err, args));
  }

  /** Runs {@code drover args}, printing to {@code out} and {@code err}; returns the exit status. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return commandLine(out, err).execute(args);
  }

  /** The configured command line: one-line errors, exit status 1 for failures and 2 for usage errors. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Main());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(new FailureReporter());
    cli.setParameterExceptionHandler(new FailureReporter.Usage());
    return cli;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(command.commandLine(), "missing command");
  }

  /** The version from the build, e.g. {@code drover 0.1.0}. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties props = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("/io/drover/cli/version.properties")) {
        if (in != null) {
          props.load(in);
        }
      }
      return new String[] {"drover " + props.getProperty("version", "unknown")};
    }
  }
}
