package io.drover.agent.reconcile;

import io.drover.agent.state.RunningInstance;
import io.drover.agent.state.SpecHash;
import io.drover.api.v1.Assignment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The agent's pure core: desired assignments against what runs, to the actions that make them equal.
 * An app already running the desired revision with the same spec needs nothing (that is how a
 * restarted agent adopts its instances). An app running another revision whose spec differs from the
 * desired one only in placement adopts the desired revision without a restart. A deployment that already failed for the same revision and
 * spec is not retried until something about it changes.
 */
public final class Diff {
  private Diff() {}

  /** What identifies one attempt to run an app: revision and spec hash. */
  public record Attempt(String app, long revision, String specHash) {
    public static Attempt of(Assignment a) {
      return new Attempt(a.getApp(), a.getRevision(), SpecHash.of(a.getSpec()));
    }
  }

  /**
   * @param desired the complete desired set (one assignment per app)
   * @param running what runs now, by app
   * @param failed attempts that failed and are not to be retried as they are
   * @param known apps with some trace on the host: running, failed or being reported
   * @return removals first (they free resources), then adoptions and deployments, each in app order
   */
  public static List<Action> plan(
      List<Assignment> desired, Map<String, RunningInstance> running, Set<Attempt> failed, Set<String> known) {
    List<Action> actions = new ArrayList<>();
    Set<String> desiredApps = new TreeSet<>();
    for (Assignment a : desired) {
      desiredApps.add(a.getApp());
    }
    Set<String> present = new TreeSet<>(known);
    present.addAll(running.keySet());
    for (String app : present) {
      if (!desiredApps.contains(app)) {
        actions.add(new Action.Remove(app, running.get(app)));
      }
    }
    List<Assignment> sorted = new ArrayList<>(desired);
    sorted.sort((x, y) -> x.getApp().compareTo(y.getApp()));
    for (Assignment a : sorted) {
      RunningInstance now = running.get(a.getApp());
      Attempt attempt = Attempt.of(a);
      boolean sameSpec = now != null && now.specHash().equals(attempt.specHash());
      if (sameSpec && now.revision() == a.getRevision()) {
        continue;
      }
      if (sameSpec) {
        actions.add(new Action.Adopt(a, now));
      } else if (!failed.contains(attempt)) {
        actions.add(new Action.Deploy(a, now));
      }
    }
    return actions;
  }
}
