package io.drover.server.rollout;

import io.drover.api.v1.UpdateSpec;
import io.drover.server.rollout.RolloutPlanner.Decision;
import io.drover.server.rollout.RolloutPlanner.HostReport;
import io.drover.server.rollout.RolloutPlanner.Outcome;
import io.drover.server.rollout.RolloutPlanner.Release;
import io.drover.server.rollout.RolloutPlanner.Step;
import io.drover.spec.SpecRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts and advances rollouts: pure functions of a {@link RolloutSnapshot} and the time, giving the
 * writes as a {@link RolloutDecision}. A rollout is superseded by a newer revision of its app and
 * cancelled by its deletion; otherwise {@link RolloutPlanner} decides its next moves, and its end:
 * on success the revision becomes the app's good revision; a revert points every host that is not
 * on the good revision back at it and makes it the app's current revision again.
 */
public final class RolloutDecider {
  private RolloutDecider() {}

  /**
   * The rollout an apply starts for {@code revision}, from the app's last good revision ({@code
   * good}, 0: none), with the spec's update policy (defaults filled in).
   */
  public static Release start(String app, long revision, long good, UpdateSpec update) {
    return new Release(app, revision, good, SpecRules.maxParallel(update), SpecRules.minHealthy(update),
        SpecRules.deadline(update), SpecRules.autoRevert(update));
  }

  public static RolloutDecision advance(RolloutSnapshot snapshot, Instant now) {
    Release release = snapshot.release();
    if (snapshot.appDeleted()) {
      return RolloutDecision.ended(RolloutState.CANCELLED);
    }
    if (snapshot.appRevision() != release.revision()) {
      return RolloutDecision.ended(RolloutState.SUPERSEDED);
    }
    Decision planned = RolloutPlanner.plan(release, snapshot.steps(), snapshot.hosts(), now);
    if (!planned.changes()) {
      return RolloutDecision.unchanged(planned.waiting(), planned.wakeAt());
    }
    List<Step> added = new ArrayList<>();
    List<Step> changed = new ArrayList<>();
    planned.steps().values().forEach(step -> (snapshot.steps().containsKey(step.host()) ? changed : added).add(step));
    RolloutState state = switch (planned.outcome()) {
      case CONTINUE -> RolloutState.RUNNING;
      case SUCCEEDED -> RolloutState.SUCCEEDED;
      case FAILED -> RolloutState.FAILED;
      case REVERTED -> RolloutState.REVERTED;
    };
    List<String> revert = List.of();
    long revertTo = 0;
    if (planned.outcome() == Outcome.REVERTED) {
      revertTo = release.fromRevision();
      long from = revertTo;
      revert = snapshot.hosts().stream().filter(h -> h.assignedRevision() != from).map(HostReport::host).sorted()
          .toList();
    }
    return new RolloutDecision(state, planned.reason(), planned.assign(), planned.waiting(), added, changed, revert,
        revertTo, planned.outcome() == Outcome.SUCCEEDED, planned.wakeAt());
  }
}
