package io.drover.server.plan;

import io.drover.api.v1.AppSpec;
import io.drover.api.v1.FieldChange;
import io.drover.api.v1.HostAction;
import io.drover.api.v1.Plan;
import io.drover.server.history.SpecChanges;
import io.drover.server.history.SpecValues;
import io.drover.server.placement.Placement;
import io.drover.server.placement.Placement.Candidate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What an apply of a spec would do, without doing it: a pure function of the spec, the app's current
 * revision and the hosts. The spec diff names the fields {@link SpecChanges} names; per host, {@link
 * Placement} decides where the app would run, and the host's action follows from what it runs now:
 * {@code start} on a new host, {@code remove} on a host no longer chosen, {@code keep} when the
 * instance stays as it is (same revision, or a new one differing only in placement or update policy,
 * which agents adopt without a restart), else {@code replace} (the new revision starts beside the
 * old one, then the old one stops).
 */
public final class AppPlanner {
  private AppPlanner() {}

  /** The app's current revision, when it has a live one. */
  public record Current(long revision, AppSpec spec) {}

  /** A host that runs the app now: the revision it runs and that revision's spec. */
  public record Placed(String host, long revision, AppSpec spec) {}

  /**
   * @param spec the spec to apply
   * @param current the live app's current revision; null for a new (or deleted) app
   * @param changed whether the spec differs from the current revision's (apply would store a new one)
   * @param nextRevision the number apply would give a new revision
   * @param hosts every known host
   * @param load number of assignments each host has (missing means none)
   * @param placed the hosts that run the app now
   */
  public static Plan plan(AppSpec spec, Current current, boolean changed, long nextRevision, List<Candidate> hosts,
      Map<String, Integer> load, List<Placed> placed) {
    String app = spec.getName();
    long revision = changed ? nextRevision : current.revision();
    Plan.Builder plan = Plan.newBuilder()
        .setApp(app)
        .setCurrentRevision(current == null ? 0 : current.revision())
        .setRevision(revision)
        .setChanged(changed)
        .setShortfall(Placement.shortfall(spec.getPlacement(), hosts));
    if (current != null && changed) {
      for (String field : SpecChanges.between(current.spec(), spec)) {
        plan.addChanges(FieldChange.newBuilder()
            .setField(field)
            .setBefore(SpecValues.of(current.spec(), field))
            .setAfter(SpecValues.of(spec, field)));
      }
    }
    Map<String, Placed> now = placed.stream().collect(Collectors.toMap(Placed::host, Function.identity()));
    Map<String, Integer> others = new HashMap<>(load);
    now.keySet().forEach(h -> others.merge(h, -1, Integer::sum));
    List<String> chosen = Placement.choose(spec.getPlacement(), hosts, others, now.keySet());
    TreeSet<String> all = new TreeSet<>(chosen);
    all.addAll(now.keySet());
    for (String host : all) {
      Placed before = now.get(host);
      HostAction.Builder action = HostAction.newBuilder().setHost(host);
      if (before == null) {
        action.setAction("start").setDescription("start " + app + " r" + revision);
      } else if (!chosen.contains(host)) {
        action.setAction("remove").setDescription("remove " + app);
      } else if (before.revision() == revision) {
        action.setAction("keep").setDescription("keep " + app + " r" + revision);
      } else if (runtime(before.spec()).equals(runtime(spec))) {
        action.setAction("keep").setDescription("keep " + app + " r" + before.revision() + " (placement only)");
      } else {
        action.setAction("replace").setDescription("start " + app + " r" + revision + " beside r" + before.revision()
            + ", then stop r" + before.revision());
      }
      plan.addHosts(action);
    }
    return plan.build();
  }

  /** What shapes the running instance: all but the placement and the update policy. */
  private static AppSpec runtime(AppSpec spec) {
    return io.drover.spec.SpecFields.runtime(spec);
  }
}
