package io.drover.cli;

import io.drover.cli.command.ExitCode;
import io.drover.cli.command.Timeout;
import io.drover.cli.config.Environment;
import io.drover.cli.config.EnvironmentVariable;
import io.drover.cli.output.Terminal;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/**
 * Renders {@code docs/cli.md}, the CLI reference, from picocli: every command's usage help, plain
 * text in a code block. Run {@code main} (or the test with {@code -Ddrover.updateDocs=true}) to
 * rewrite the file after changing a command.
 */
public final class CliReference {
  /** docs/cli.md, from the cli module's directory. */
  static final Path FILE = Path.of("..", "docs", "cli.md");
  /** An empty environment: the reference does not depend on the one it is rendered in. */
  static final Environment ENVIRONMENT = new Environment(Map.of(), Path.of("/nonexistent"));

  private CliReference() {}

  public static void main(String[] args) throws IOException {
    Files.writeString(args.length > 0 ? Path.of(args[0]) : FILE, render(), StandardCharsets.UTF_8);
  }

  /** The whole reference as markdown. */
  static String render() {
    CommandLine root = Main.commandLine(ENVIRONMENT, new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()), Terminal.PLAIN);
    StringBuilder md = new StringBuilder();
    md.append("# drover command reference\n\n")
        .append("<!-- Generated from the picocli commands by cli/src/test/java/io/drover/cli/CliReference.java;\n")
        .append("     CliReferenceTest fails when this file is out of date. Do not edit by hand. -->\n\n")
        .append("The server address comes from `--server`, else `DROVER_ADDR`, else `server:` in\n")
        .append("`$XDG_CONFIG_HOME/drover/config.yaml` (default `~/.config/drover/config.yaml`, written by\n")
        .append("`drover login` and `drover dev`), else `127.0.0.1:7070`; it is `HOST:PORT` (an IPv6 address in\n")
        .append("brackets, `[::1]:7070`), checked before anything is sent. Colour only on a terminal; `--no-color`\n")
        .append("or `NO_COLOR` turn it off.\n\n")
        .append("Every failure is one line on stderr, `drover: <what is wrong>`, naming the fix where there is one\n")
        .append("(`drover: cannot reach server at web:7070: unknown host web (check --server)`); with `DROVER_DEBUG=1`\n")
        .append("its stack trace follows. Commands that wait (`--wait`, `rollout status --watch`, `drain`) wait ")
        .append(Timeout.DEFAULT).append(" unless\n")
        .append("`--timeout` (`drain`: `--deadline`) says otherwise; while they wait, a stream the server drops is\n")
        .append("opened again (the server restarts), any other error ends them at once. Other calls are not retried.\n\n")
        .append("## Exit status\n\n| code | meaning |\n| --- | --- |\n");
    for (ExitCode code : ExitCode.values()) {
      md.append("| ").append(code.code()).append(" | ").append(code.meaning()).append(" |\n");
    }
    md.append("\nA command that runs something remote and reports its status passes that exit status through and\n")
        .append("uses 255 for its own failures (could not connect, refused), as ssh does.\n\n")
        .append("## Environment\n\n| variable | what it does |\n| --- | --- |\n");
    for (EnvironmentVariable variable : EnvironmentVariable.values()) {
      md.append("| `").append(variable.name()).append("` | ").append(variable.description()).append(" |\n");
    }
    md.append("\n");
    append(md, root);
    return md.toString();
  }

  private static void append(StringBuilder md, CommandLine cli) {
    String name = cli.getCommandSpec().qualifiedName(" ");
    md.append("## ").append(name).append("\n\n```text\n")
        .append(cli.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing())
        .append("\n```\n\n");
    for (CommandLine sub : cli.getSubcommands().values()) {
      if (!sub.getCommandName().equals("help")) {
        append(md, sub);
      }
    }
  }
}
