package io.drover.cli;

import io.drover.build.Build;
import io.drover.cli.command.AgentCommand;
import io.drover.cli.command.AuditCommand;
import io.drover.cli.command.HostCommand;
import io.drover.cli.command.LoginCommand;
import io.drover.cli.command.TokenCommand;
import io.drover.cli.command.TopCommand;
import io.drover.cli.command.ApplyCommand;
import io.drover.cli.command.AppsCommand;
import io.drover.cli.command.CertsCommand;
import io.drover.cli.command.CompletionCommand;
import io.drover.cli.command.DeleteCommand;
import io.drover.cli.command.DevCommand;
import io.drover.cli.command.DrainCommand;
import io.drover.cli.command.GetCommand;
import io.drover.cli.command.HistoryCommand;
import io.drover.cli.command.HostsCommand;
import io.drover.cli.command.NotifyCommand;
import io.drover.cli.command.PlanCommand;
import io.drover.cli.command.RollbackCommand;
import io.drover.cli.command.RolloutCommand;
import io.drover.cli.command.ServerCommand;
import io.drover.cli.command.StatusCommand;
import io.drover.cli.command.UndrainCommand;
import io.drover.cli.command.VersionCommand;
import io.drover.cli.command.ExitCode;
import io.drover.cli.config.Environment;
import io.drover.cli.config.EnvironmentVariable;
import io.drover.cli.output.Terminal;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
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
      PlanCommand.class,
      GetCommand.class,
      AppsCommand.class,
      CertsCommand.class,
      StatusCommand.class,
      HostsCommand.class,
      TopCommand.class,
      HostCommand.class,
      DrainCommand.class,
      UndrainCommand.class,
      DeleteCommand.class,
      RolloutCommand.class,
      HistoryCommand.class,
      RollbackCommand.class,
      LoginCommand.class,
      TokenCommand.class,
      NotifyCommand.class,
      VersionCommand.class,
      AuditCommand.class,
      ServerCommand.class,
      DevCommand.class,
      AgentCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  /** The commands that run until stopped and log as daemons; the others keep library logs off stderr. */
  private static final Set<Class<?>> DAEMONS = Set.of(ServerCommand.class, AgentCommand.class, DevCommand.class);

  @Spec CommandSpec command;

  @Option(
      names = "--no-color",
      scope = CommandLine.ScopeType.INHERIT,
      description = "No colours (also when NO_COLOR is set; there are none unless output goes to a terminal).")
  boolean noColor;

  public static void main(String[] args) {
    Environment environment = Environment.ofProcess();
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    boolean noColor = List.of(args).contains("--no-color") || environment.get(EnvironmentVariable.NO_COLOR).isPresent();
    Terminal terminal = Terminal.detect(environment.get(EnvironmentVariable.TERM).orElse(""), noColor);
    System.exit(commandLine(environment, out, err, terminal).execute(args));
  }

  /** Runs {@code drover args} in {@code environment}, printing to {@code out} and {@code err} (no terminal); returns the exit status. */
  public static int run(Environment environment, PrintWriter out, PrintWriter err, String... args) {
    return commandLine(environment, out, err, Terminal.PLAIN).execute(args);
  }

  /**
   * The configured command line: commands made with {@code environment} and {@code terminal}, one-line
   * errors and the exit statuses of {@link ExitCode}; colours and live progress as {@code terminal}
   * allows.
   */
  public static CommandLine commandLine(Environment environment, PrintWriter out, PrintWriter err, Terminal terminal) {
    CommandLine cli = new CommandLine(new Main(), new CommandFactory(environment, terminal));
    cli.setColorScheme(CommandLine.Help.defaultColorScheme(terminal.color() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(new FailureReporter(environment.debug()));
    cli.setParameterExceptionHandler(new UsageReporter(environment.debug()));
    cli.setExecutionStrategy(parsed -> {
      List<CommandLine> invoked = parsed.asCommandLineList();
      Object command = invoked.get(invoked.size() - 1).getCommand();
      if (!environment.debug() && !DAEMONS.contains(command.getClass())) {
        LibraryLogging.silence();
      }
      return new CommandLine.RunLast().execute(parsed);
    });
    return cli;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(command.commandLine(), "missing command");
  }

  /** The version from the build, e.g. {@code drover 0.1.0}. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"drover " + Build.version()};
    }
  }
}
