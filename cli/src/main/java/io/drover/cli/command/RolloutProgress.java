package io.drover.cli.command;

import io.drover.api.v1.AppStatus;
import io.drover.api.v1.Instance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code apply --wait} makes of each status of the app: the lines to print (one per host
 * state change) and whether the revision is now served everywhere it was placed, or failed.
 */
final class RolloutProgress {
  enum Outcome {
    WAITING,
    /** Every placed instance runs the revision and is healthy. */
    DONE,
    /** An instance at the revision failed. */
    FAILED,
    /** The app moved on to a newer revision or was deleted. */
    SUPERSEDED
  }

  private final String app;
  private final long revision;
  private final Map<String, String> lastLine = new HashMap<>();
  private String lastShortfall = "";
  private Outcome outcome = Outcome.WAITING;
  private String failure = "";
  private AppStatus last = AppStatus.getDefaultInstance();

  RolloutProgress(String app, long revision) {
    this.app = app;
    this.revision = revision;
  }

  /** Takes in a new status; returns the lines to print about it. */
  List<String> observe(AppStatus status) {
    last = status;
    List<String> lines = new ArrayList<>();
    if (!status.getShortfall().isEmpty() && !status.getShortfall().equals(lastShortfall)) {
      lines.add("warning: " + status.getShortfall());
    }
    lastShortfall = status.getShortfall();
    for (Instance instance : status.getInstancesList()) {
      String line = describe(instance);
      if (!line.equals(lastLine.put(instance.getHost(), line))) {
        lines.add(line);
      }
    }
    outcome = decide(status, lines);
    return lines;
  }

  Outcome outcome() {
    return outcome;
  }

  /** Why the rollout ended without success, e.g. {@code hello: revision 2 failed on web-1: ...}. */
  String failure() {
    return failure;
  }

  /** Which hosts are not ready yet, for a timeout message. */
  String notReady() {
    List<String> waiting = new ArrayList<>();
    for (Instance instance : serving(last)) {
      if (!readyAt(instance)) {
        waiting.add(instance.getHost() + " (" + state(instance) + ", revision " + instance.getRevision() + ")");
      }
    }
    int missing = wanted(last) - serving(last).size();
    if (missing > 0) {
      waiting.add(missing + " more instance" + (missing == 1 ? "" : "s") + " not placed yet");
    }
    return waiting.isEmpty() ? "no status received" : String.join(", ", waiting);
  }

  /** The live view on a terminal: the shortfall warning, if any, and one line per host, coloured. */
  static List<String> hostLines(AppStatus status, io.drover.cli.output.Terminal terminal) {
    List<String> lines = new ArrayList<>();
    if (!status.getShortfall().isEmpty()) {
      lines.add(terminal.pending("warning: " + status.getShortfall()));
    }
    for (Instance instance : status.getInstancesList()) {
      String line = describe(instance);
      if (instance.getState().equals("failed")) {
        line = terminal.bad(line);
      } else if (ready(instance)) {
        line = terminal.good(line);
      } else {
        line = terminal.pending(line);
      }
      lines.add(line);
    }
    return lines;
  }

  static String describe(Instance instance) {
    String line = instance.getHost() + ": " + state(instance) + " (revision " + instance.getRevision() + ")";
    return instance.getReason().isEmpty() ? line : line + ": " + instance.getReason();
  }

  private static String state(Instance instance) {
    return instance.getState() + ", " + (instance.getHealthy() ? "healthy" : "not healthy");
  }

  private Outcome decide(AppStatus status, List<String> lines) {
    if (!status.getExists()) {
      failure = app + ": was deleted while waiting for revision " + revision;
      return Outcome.SUPERSEDED;
    }
    if (status.getRevision() > revision) {
      failure = app + ": revision " + status.getRevision() + " was applied while waiting for revision " + revision;
      return Outcome.SUPERSEDED;
    }
    for (Instance instance : status.getInstancesList()) {
      if (instance.getRevision() == revision && instance.getState().equals("failed")) {
        failure = app + ": revision " + revision + " failed on " + instance.getHost()
            + (instance.getReason().isEmpty() ? "" : ": " + instance.getReason());
        for (String log : instance.getLogTailList()) {
          lines.add("  | " + log);
        }
        return Outcome.FAILED;
      }
    }
    List<Instance> serving = serving(status);
    boolean allReady = serving.stream().allMatch(this::readyAt);
    return status.getRevision() == revision && allReady && serving.size() >= wanted(status) ? Outcome.DONE : Outcome.WAITING;
  }

  private boolean readyAt(Instance instance) {
    return instance.getRevision() == revision && ready(instance);
  }

  private static boolean ready(Instance instance) {
    return instance.getState().equals("running") && instance.getHealthy();
  }

  /** The instances that count: those not being removed from their host. */
  private static List<Instance> serving(AppStatus status) {
    return status.getInstancesList().stream().filter(i -> !i.getState().equals("removing")).toList();
  }

  /** How many instances to wait for: the desired count, or what was placed when hosts fall short. */
  private static int wanted(AppStatus status) {
    return status.getShortfall().isEmpty() ? status.getDesired() : Math.min(status.getDesired(), serving(status).size());
  }
}
