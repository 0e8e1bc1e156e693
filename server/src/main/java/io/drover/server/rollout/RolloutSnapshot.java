package io.drover.server.rollout;

import io.drover.server.rollout.RolloutPlanner.HostReport;
import io.drover.server.rollout.RolloutPlanner.Release;
import io.drover.server.rollout.RolloutPlanner.Step;
import java.util.List;
import java.util.Map;

/**
 * What advancing one running rollout reads: the rollout, the app's current revision (a newer one
 * supersedes the rollout, a deletion cancels it), the rollout's steps and the app's desired hosts.
 *
 * @param steps the rollout's steps, by host
 * @param hosts every host the app is desired on
 */
public record RolloutSnapshot(Release release, boolean appDeleted, long appRevision, Map<String, Step> steps,
    List<HostReport> hosts) {
  public RolloutSnapshot {
    steps = Map.copyOf(steps);
    hosts = List.copyOf(hosts);
  }
}
