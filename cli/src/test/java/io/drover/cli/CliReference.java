package io.drover.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Renders {@code docs/cli.md}, the CLI reference, from picocli: every command's usage help, plain
 * text in a code block. Run {@code main} (or the test with {@code -Ddrover.updateDocs=true}) to
 * rewrite the file after changing a command.
 */
public final class CliReference {
  /** docs/cli.md, from the cli module's directory. */
  static final Path FILE = Path.of("..", "docs", "cli.md");

  private CliReference() {}

  public static void main(String[] args) throws IOException {
    Files.writeString(args.length > 0 ? Path.of(args[0]) : FILE, render(), StandardCharsets.UTF_8);
  }

  /** The whole reference as markdown. */
  static String render() {
    CommandLine root = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    StringBuilder md = new StringBuilder();
    md.append("# drover command reference\n\n")
        .append("<!-- Generated from the picocli commands by cli/src/test/java/io/drover/cli/CliReference.java;\n")
        .append("     CliReferenceTest fails when this file is out of date. Do not edit by hand. -->\n\n")
        .append("The server address comes from `--server`, else `DROVER_ADDR`, else `server:` in\n")
        .append("`$XDG_CONFIG_HOME/drover/config.yaml` (default `~/.config/drover/config.yaml`, written by\n")
        .append("`drover dev`), else `127.0.0.1:7070`. Colour only on a terminal; `--no-color` or `NO_COLOR` turn it off.\n\n");
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
