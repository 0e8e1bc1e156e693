package io.drover.cli.command;

import io.drover.api.v1.DrainHostRequest;
import io.drover.api.v1.DrainHostResponse;
import io.drover.api.v1.DrainingApp;
import io.drover.cli.output.JsonOutput;
import io.drover.spec.DurationText;
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
      "Waits until the host runs no app; exits 3 after --deadline (the host stays drained). Undo with 'drover undrain'."
    })
public final class DrainCommand implements Callable<Integer> {
  @Spec CommandSpec command;
  @Mixin ServerOptions server;
  @Mixin OutputOption output;

  @Parameters(paramLabel = "HOST", description = "The host's name.")
  String host;

  @Option(
      names = "--deadline",
      defaultValue = Timeout.DEFAULT,
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "How long to wait for the replacements (default: ${DEFAULT-VALUE}); exit 3 when it runs out.")
  Duration deadline;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter progress = output.json() ? command.commandLine().getErr() : out;
    Instant until = Instant.now().plus(deadline);
    try (OperatorConnection connection = server.connect()) {
      DrainHostRequest request = DrainHostRequest.newBuilder().setHost(host).build();
      DrainHostResponse drain = connection.unary().drainHost(request);
      progress.println(host + ": drained" + (drain.getAppsCount() == 0 ? "" : ", moving " + apps(drain.getAppsList())));
      progress.flush();
      Progress shown = new Progress(progress, drain);
      if (!shown.done(drain)) {
        // the server pushes each change of the drain's progress; no polling
        Duration left = Duration.between(Instant.now(), until);
        StatusWatch.Outcome done =
            StatusWatch.follow(connection, left, time -> connection.streaming(time).watchDrain(request), shown::done);
        if (!done.done()) {
          throw CommandFailure.timedOut(host + ": still runs " + apps(shown.last.getAppsList()) + " after "
              + DurationText.format(deadline) + " (waiting for " + shown.waiting + "); the host stays drained"
              + done.note());
        }
      }
      if (output.json()) {
        JsonOutput.print(out, shown.last);
      } else {
        out.println(host + ": runs no app any more");
      }
      out.flush();
    }
    return ExitCode.OK.code();
  }

  /** Prints what the drain waits for each time that changes, and keeps the latest progress. */
  private static final class Progress {
    private final PrintWriter out;
    DrainHostResponse last;
    String waiting = "";

    Progress(PrintWriter out, DrainHostResponse first) {
      this.out = out;
      this.last = first;
    }

    /** True once the host runs no app. */
    boolean done(DrainHostResponse drain) {
      last = drain;
      if (drain.getAppsCount() == 0) {
        return true;
      }
      String now = waiting(drain.getAppsList());
      if (!now.equals(waiting)) {
        out.println("  waiting for " + now);
        out.flush();
        waiting = now;
      }
      return false;
    }
  }

  private static String apps(List<DrainingApp> apps) {
    return apps.stream().map(DrainingApp::getApp).collect(Collectors.joining(", "));
  }

  private static String waiting(List<DrainingApp> apps) {
    return apps.stream().map(a -> a.getApp() + " on " + a.getWaitingFor()).collect(Collectors.joining("; "));
  }
}
