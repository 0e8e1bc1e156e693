package io.drover.cli.command;

import io.drover.cli.output.Format;
import picocli.CommandLine.Option;

/** {@code -o/--output table|json} of the commands that print data ({@code get} prints yaml or json instead). */
public final class OutputOption {
  @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT", description = "table or json.")
  Format format;

  /** JSON for scripts (else an aligned table). */
  boolean json() {
    return format == Format.JSON;
  }
}
