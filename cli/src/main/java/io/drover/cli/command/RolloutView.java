package io.drover.cli.command;

import io.drover.api.v1.Rollout;
import io.drover.api.v1.RolloutHost;
import io.drover.cli.output.Terminal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the CLI makes of a rollout: its headline, one line per host, and while following it the
 * lines that changed and whether it ended (and how).
 */
final class RolloutView {
  private final long revision;
  private final Map<String, String> lastLine = new HashMap<>();
  private String lastHeadline = "";
  private Rollout last = Rollout.getDefaultInstance();

  /** Follows the rollout of {@code revision}. */
  RolloutView(long revision) {
    this.revision = revision;
  }

  /** Takes in a new state of the rollout; returns the lines to print about it (changed lines only). */
  List<String> observe(Rollout rollout) {
    last = rollout;
    List<String> lines = new ArrayList<>();
    String headline = headline(rollout);
    if (!headline.equals(lastHeadline)) {
      lines.add(headline);
      lastHeadline = headline;
    }
    for (RolloutHost host : rollout.getHostsList()) {
      String line = describe(host);
      if (!line.equals(lastLine.put(host.getHost(), line))) {
        lines.add(line);
      }
    }
    return lines;
  }

  /** True once the rollout followed ended, or a newer one replaced it. */
  boolean finished() {
    return last.getRevision() != revision || !last.getState().equals("running");
  }

  boolean succeeded() {
    return last.getRevision() == revision && last.getState().equals("succeeded");
  }

  /** Why it did not succeed, e.g. {@code hello: rollout of revision 2 reverted to revision 1: web-2: ...}. */
  String failure() {
    if (last.getRevision() != revision) {
      return last.getApp() + ": revision " + last.getRevision() + " was applied while rolling out revision " + revision;
    }
    String how = switch (last.getState()) {
      case "reverted" -> "reverted to revision " + last.getFromRevision();
      case "cancelled" -> "cancelled: the app was deleted";
      default -> last.getState();
    };
    return last.getApp() + ": rollout of revision " + revision + " " + how
        + (last.getReason().isEmpty() ? "" : ": " + last.getReason());
  }

  /** The hosts not done yet, for a timeout message. */
  String waiting() {
    List<String> hosts = last.getHostsList().stream()
        .filter(h -> !h.getStep().equals("done"))
        .map(h -> h.getHost() + " (" + h.getStep() + ")")
        .toList();
    return hosts.isEmpty() ? "no rollout state received" : String.join(", ", hosts);
  }

  /** e.g. {@code hello: revision 2 (from 1): running, 1 of 3 hosts done, 1 at a time, min healthy 5s}. */
  static String headline(Rollout r) {
    long done = r.getHostsList().stream().filter(h -> h.getStep().equals("done")).count();
    return r.getApp() + ": revision " + r.getRevision() + (r.getFromRevision() > 0 ? " (from " + r.getFromRevision() + ")" : "")
        + ": " + r.getState() + ", " + done + " of " + r.getHostsCount() + " hosts done, " + r.getMaxParallel()
        + " at a time, min healthy " + duration(r.getMinHealthy())
        + (r.getReason().isEmpty() ? "" : ": " + r.getReason());
  }

  /** e.g. {@code web-1: updating (revision 2, starting, not healthy)}. */
  static String describe(RolloutHost h) {
    String line = h.getHost() + ": " + h.getStep() + " (revision " + h.getRevision() + ", " + h.getState() + ", "
        + (h.getHealthy() ? "healthy" : "not healthy") + ")";
    return h.getReason().isEmpty() ? line : line + ": " + h.getReason();
  }

  /** The live view on a terminal: the headline and one coloured line per host. */
  static List<String> liveLines(Rollout r, Terminal terminal) {
    List<String> lines = new ArrayList<>();
    lines.add(terminal.strong(headline(r)));
    for (RolloutHost h : r.getHostsList()) {
      String line = describe(h);
      lines.add(switch (h.getStep()) {
        case "done" -> terminal.good(line);
        case "failed" -> terminal.bad(line);
        default -> terminal.pending(line);
      });
    }
    return lines;
  }

  static String duration(com.google.protobuf.Duration d) {
    long ms = d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
