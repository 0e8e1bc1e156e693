package io.drover.cli.command;

import io.drover.api.v1.GetTopRequest;
import io.drover.api.v1.TopLine;
import io.drover.api.v1.TopResponse;
import io.drover.cli.output.JsonOutput;
import io.drover.cli.output.LiveBlock;
import io.drover.cli.output.Table;
import io.drover.cli.output.Terminal;
import io.drover.spec.DurationText;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code drover top}: requests per second, latency, 5xx share and resource use per app (or per host
 * of one app), over the last minute; redrawn every few seconds on a terminal until Ctrl-C.
 */
@Command(name = "top", description = "Shows requests/s, p50/p99 latency, 5xx %, CPU, memory, workers and "
    + "restarts per app, or per host of APP; live on a terminal, one snapshot otherwise or with -o json.")
public final class TopCommand implements Callable<Integer> {
  private final Terminal terminal;

  @Spec CommandSpec command;
  @Mixin ServerOptions server;
  @Mixin OutputOption output;

  @Parameters(paramLabel = "APP", arity = "0..1", description = "Show the hosts of this app.")
  String app = "";

  @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How often the live table is redrawn (default: ${DEFAULT-VALUE}).", defaultValue = "3s")
  Duration interval;

  @Option(names = {"-n", "--iterations"}, paramLabel = "N",
      description = "Redraw N times, then exit (default: until Ctrl-C).")
  Integer iterations;

  TopCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (iterations != null && iterations < 1) {
      throw CommandFailure.usage("--iterations must be at least 1, or left out to redraw until Ctrl-C");
    }
    PrintWriter out = command.commandLine().getOut();
    GetTopRequest request = GetTopRequest.newBuilder().setApp(app).build();
    try (OperatorConnection connection = server.connect()) {
      if (output.json()) {
        JsonOutput.print(out, connection.unary().getTop(request));
        return 0;
      }
      if (!terminal.stdoutIsTerminal()) {
        lines(connection.unary().getTop(request)).forEach(out::println);
        out.flush();
        return 0;
      }
      LiveBlock block = new LiveBlock(out);
      for (int shown = 0; iterations == null || shown < iterations; shown++) {
        if (shown > 0) {
          Thread.sleep(interval.toMillis()); // the refresh period itself, not a wait for an event
        }
        block.show(lines(connection.unary().getTop(request)));
      }
    }
    return 0;
  }

  private List<String> lines(TopResponse top) {
    List<String> lines = new ArrayList<>();
    Duration window = Duration.ofSeconds(top.getWindow().getSeconds(), top.getWindow().getNanos());
    lines.add(window.isZero()
        ? "no rates yet: the server measures over the minute after it starts"
        : "over the last " + DurationText.format(window) + (app.isEmpty() ? "" : ", app " + app));
    Table table = new Table(app.isEmpty() ? "APP" : "HOST", "INSTANCES", "REQ/S", "P50", "P99", "5XX", "CPU", "RSS",
        "WORKERS", "RESTARTS");
    for (TopLine line : top.getLinesList()) {
      table.row(app.isEmpty() ? line.getApp() : line.getHost(), line.getInstances(),
          line.hasRequestsPerSecond() ? String.format(Locale.ROOT, "%.1f", line.getRequestsPerSecond()) : "",
          line.hasP50Seconds() ? millis(line.getP50Seconds()) : "",
          line.hasP99Seconds() ? millis(line.getP99Seconds()) : "",
          line.hasErrorRatio() ? String.format(Locale.ROOT, "%.1f%%", 100 * line.getErrorRatio()) : "",
          line.hasCpuCores() ? String.format(Locale.ROOT, "%.0f%%", 100 * line.getCpuCores()) : "",
          mebibytes(line.getRssBytes()), line.getWorkers(), line.getRestarts());
    }
    lines.addAll(table.lines());
    return lines;
  }

  private static String millis(double seconds) {
    return seconds < 1 ? String.format(Locale.ROOT, "%.0fms", seconds * 1000) : String.format(Locale.ROOT, "%.2fs", seconds);
  }

  private static String mebibytes(long bytes) {
    return String.format(Locale.ROOT, "%.0fMiB", bytes / (1024.0 * 1024));
  }
}
