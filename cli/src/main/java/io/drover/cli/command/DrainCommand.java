package io.drover.cli.command;

import io.drover.api.v1.DrainHostRequest;
import io.drover.api.v1.DrainHostResponse;
import io.drover.api.v1.DrainingApp;
import io.drover.cli.output.Format;
import io.drover.cli.output.JsonOutput;
import io.drover.cli.spec.DurationText;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover drain}: takes a host out of placement and waits until its apps run elsewhere. */
@Command(
    name = "drain",
    description = {
      "Takes the host out of placement and moves its apps away: each \"count: N\" app starts on another host first, and the drained host stops it once the replacement runs healthy, so the app never runs fewer instances. \"all\" apps are removed from the host at once (a drained host is not eligible).",
      "Waits until the host runs no app; exits 1 after --deadline (the host stays drained). Undo with 'drover undrain'."
    })
public final class DrainCommand implements Callable<Integer> {
  /** How often the drain's progress is read while it waits. */
  static final Duration POLL = Duration.ofMillis(500);

  @Spec CommandSpec command;
  @Mixin ServerAddress server;

  @Parameters(paramLabel = "HOST", description = "The host's name.")
  String host;

  @Option(
      names = "--deadline",
      defaultValue = "5m",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "How long to wait for the replacements (default: ${DEFAULT-VALUE}).")
  Duration deadline;

  @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT", description = "table or json.")
  Format output;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter progress = output == Format.JSON ? command.commandLine().getErr() : out;
    Instant until = Instant.now().plus(deadline);
    try (OperatorConnection connection = server.connect()) {
      DrainHostRequest request = DrainHostRequest.newBuilder().setHost(host).build();
      DrainHostResponse drain = connection.unary().drainHost(request);
      progress.println(host + ": drained" + (drain.getAppsCount() == 0 ? "" : ", moving " + apps(drain.getAppsList())));
      progress.flush();
      String shown = "";
      while (drain.getAppsCount() > 0) {
        String now = waiting(drain.getAppsList());
        if (!now.equals(shown)) {
          progress.println("  waiting for " + now);
          progress.flush();
          shown = now;
        }
        if (!Instant.now().isBefore(until)) {
          throw new CommandFailure(host + ": still runs " + apps(drain.getAppsList()) + " after "
              + DurationText.format(deadline) + " (waiting for " + now + "); the host stays drained");
        }
        Thread.sleep(POLL.toMillis());
        drain = connection.unary().drainHost(request);
      }
      if (output == Format.JSON) {
        JsonOutput.print(out, drain);
      } else {
        out.println(host + ": runs no app any more");
      }
      out.flush();
    }
    return 0;
  }

  private static String apps(List<DrainingApp> apps) {
    return apps.stream().map(DrainingApp::getApp).collect(Collectors.joining(", "));
  }

  private static String waiting(List<DrainingApp> apps) {
    return apps.stream().map(a -> a.getApp() + " on " + a.getWaitingFor()).collect(Collectors.joining("; "));
  }
}
