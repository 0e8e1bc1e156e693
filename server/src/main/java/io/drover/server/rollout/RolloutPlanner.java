package io.drover.server.rollout;

import io.drover.spec.DurationText;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides the next moves of one running rollout: a pure function of the rollout, its per-host steps,
 * what the app's hosts report and the time.
 *
 * <p>A host in step {@code updating} is done once its instance of the new revision has been running
 * and healthy for {@code min_healthy}; it fails when the agent reports the revision failed, or when it
 * is not running and healthy {@code deadline} after its step started. The first failure ends the
 * rollout (reverted when {@code auto_revert} and there is a good revision to go back to). Otherwise
 * hosts still on another revision start, in name order, while fewer than {@code max_parallel} are
 * updating. Hosts that placement gave the revision directly (new to the app) get a step too, so
 * they are health-gated like the others. No host ever gets a second step for the same revision.
 */
public final class RolloutPlanner {
  private RolloutPlanner() {}

  /** The rollout being planned. */
  public record Release(
      String app, long revision, long fromRevision, int maxParallel, Duration minHealthy, Duration deadline,
      boolean autoRevert) {
    public Release {
      if (maxParallel < 1) {
        throw new IllegalArgumentException("max_parallel must be at least 1, got " + maxParallel);
      }
    }
  }

  public enum StepState {
    UPDATING, DONE, FAILED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static StepState of(String label) {
      return valueOf(label.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** One host's move to the revision; {@code healthySince} is null while not running and healthy. */
  public record Step(String host, StepState state, Instant startedAt, Instant healthySince, String reason) {
    public Step {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(startedAt, "startedAt");
      reason = reason == null ? "" : reason;
    }
  }

  /** A host the app is desired on: the revision it is assigned and what its agent last reported. */
  public record HostReport(
      String host, long assignedRevision, long reportedRevision, String state, boolean healthy, String reason) {}

  public enum Outcome { CONTINUE, SUCCEEDED, FAILED, REVERTED }

  /**
   * What to do now.
   *
   * @param assign hosts to move to the rollout's revision now
   * @param waiting hosts the rollout moves in a later round (none once it failed)
   * @param steps steps to store (new or changed), by host
   * @param outcome whether the rollout goes on or ended, and how
   * @param reason why it failed, naming the host
   * @param wakeAt when to plan again even if nothing is reported (empty: only on reports)
   */
  public record Decision(List<String> assign, List<String> waiting, Map<String, Step> steps, Outcome outcome,
      String reason, Optional<Instant> wakeAt) {
    public boolean changes() {
      return !assign.isEmpty() || !steps.isEmpty() || outcome != Outcome.CONTINUE;
    }
  }

  public static Decision plan(Release release, Map<String, Step> steps, List<HostReport> hosts, Instant now) {
    Map<String, Step> changed = new LinkedHashMap<>();
    List<HostReport> sorted = hosts.stream().sorted(Comparator.comparing(HostReport::host)).toList();
    String failure = null;
    int updating = 0;
    Instant wake = null;
    for (HostReport host : sorted) {
      Step step = steps.get(host.host());
      if (step == null && host.assignedRevision() == release.revision()) {
        step = new Step(host.host(), StepState.UPDATING, now, null, "");
        changed.put(host.host(), step);
      }
      if (step == null || step.state() != StepState.UPDATING) {
        continue;
      }
      Step next = advance(release, step, host, now);
      if (!next.equals(step)) {
        changed.put(host.host(), next);
      }
      if (next.state() == StepState.FAILED && failure == null) {
        failure = host.host() + ": " + next.reason();
      } else if (next.state() == StepState.UPDATING) {
        updating++;
        Instant at = next.healthySince() != null
            ? next.healthySince().plus(release.minHealthy())
            : next.startedAt().plus(release.deadline());
        wake = wake == null || at.isBefore(wake) ? at : wake;
      }
    }
    if (failure != null) {
      Outcome outcome = release.autoRevert() && release.fromRevision() > 0 ? Outcome.REVERTED : Outcome.FAILED;
      return new Decision(List.of(), List.of(), changed, outcome, failure, Optional.empty());
    }
    List<String> assign = new ArrayList<>();
    List<String> waiting = sorted.stream()
        .filter(h -> h.assignedRevision() != release.revision() && !steps.containsKey(h.host()))
        .map(HostReport::host)
        .toList();
    for (String host : waiting) {
      if (updating >= release.maxParallel()) {
        break;
      }
      assign.add(host);
      changed.put(host, new Step(host, StepState.UPDATING, now, null, ""));
      updating++;
      Instant at = now.plus(release.deadline());
      wake = wake == null || at.isBefore(wake) ? at : wake;
    }
    boolean finished = updating == 0 && assign.isEmpty() && waiting.isEmpty();
    List<String> later = waiting.stream().filter(h -> !assign.contains(h)).toList();
    return new Decision(assign, later, changed, finished ? Outcome.SUCCEEDED : Outcome.CONTINUE, "",
        finished ? Optional.empty() : Optional.ofNullable(wake));
  }

  private static Step advance(Release release, Step step, HostReport host, Instant now) {
    boolean atRevision = host.reportedRevision() == release.revision();
    if (atRevision && host.state().equals("failed")) {
      String why = host.reason().isEmpty() ? "revision " + release.revision() + " failed" : host.reason();
      return new Step(step.host(), StepState.FAILED, step.startedAt(), null, why);
    }
    if (atRevision && host.state().equals("running") && host.healthy()) {
      Instant since = step.healthySince() != null ? step.healthySince() : now;
      StepState state = !now.isBefore(since.plus(release.minHealthy())) ? StepState.DONE : StepState.UPDATING;
      return new Step(step.host(), state, step.startedAt(), since, "");
    }
    if (!now.isBefore(step.startedAt().plus(release.deadline()))) {
      return new Step(step.host(), StepState.FAILED, step.startedAt(), null,
          "not running and healthy " + DurationText.format(release.deadline()) + " after its update started");
    }
    return new Step(step.host(), StepState.UPDATING, step.startedAt(), null, "");
  }
}
