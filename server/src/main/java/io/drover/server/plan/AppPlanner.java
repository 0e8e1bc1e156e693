package io.drover.server.plan;

import io.drover.api.v1.AppSpec;
import io.drover.server.placement.AppRows;
import io.drover.server.placement.AppRows.Row;
import io.drover.server.placement.Placement;
import io.drover.server.placement.PlacementDecider;
import io.drover.server.placement.PlacementDecision.AppPlacement;
import io.drover.server.placement.PlacementDecision.Hold;
import io.drover.server.placement.PlacementDecision.Write;
import io.drover.server.plan.AppPlan.Action;
import io.drover.server.plan.AppPlan.HostAction;
import io.drover.server.rollout.RolloutDecider;
import io.drover.server.rollout.RolloutDecision;
import io.drover.server.rollout.RolloutPlanner.HostReport;
import io.drover.server.rollout.RolloutSnapshot;
import io.drover.spec.SpecFields;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What an apply of a spec would do to each host, without doing it: runs the deciders apply runs, on
 * the snapshot apply would read, and reads the host actions off their decisions.
 *
 * <p>An unchanged spec stores nothing and places nothing: every host keeps what it has (a host not
 * yet on the current revision is shown as its running rollout will move it). A changed spec is
 * placed by {@link PlacementDecider} as the new revision, and the rollout that apply would start is
 * advanced once by {@link RolloutDecider} over the rows placement leaves; then, per host:
 *
 * <ul>
 *   <li>{@code start}: placement gives the host a row at the new revision (new to the app, or it
 *       never ran it);
 *   <li>{@code remove}: placement takes the app off the host, at once, or — a drained host held
 *       until its replacements run healthy — once they do;
 *   <li>{@code keep}: the host stays on its revision, or the rollout moves it to a revision whose
 *       running instance is the same (it differs only in placement or update policy: agents adopt
 *       it without a restart);
 *   <li>{@code replace}: the rollout moves the host to a revision that runs differently (the new
 *       one starts beside the old one, then the old one stops).
 * </ul>
 *
 * A pure function of the snapshot.
 */
public final class AppPlanner {
  private AppPlanner() {}

  public static AppPlan plan(PlanSnapshot snapshot) {
    AppSpec spec = snapshot.spec();
    String app = spec.getName();
    boolean changed = snapshot.changed();
    long revision = changed ? snapshot.nextRevision() : snapshot.current().revision();
    Map<String, Row> rows = snapshot.rows().stream().collect(Collectors.toMap(Row::host, Function.identity()));
    Map<String, Write> writes = new HashMap<>();
    Map<String, Hold> holds = new HashMap<>();
    Set<String> moved = new HashSet<>();
    Set<String> hosts = new TreeSet<>(rows.values().stream().filter(Row::desired).map(Row::host).toList());
    if (changed) {
      AppRows applied = new AppRows(app, false, revision, spec, snapshot.rows());
      AppPlacement placement = PlacementDecider.decide(snapshot.fleet(), List.of(applied)).apps().getFirst();
      placement.writes().forEach(w -> writes.put(w.host(), w));
      placement.holds().forEach(h -> holds.put(h.host(), h));
      hosts.addAll(writes.keySet());
      RolloutDecision rollout = RolloutDecider.advance(new RolloutSnapshot(
          RolloutDecider.start(app, revision, snapshot.goodRevision(), spec.getUpdate()), false, revision, Map.of(),
          reportsAfter(placement, rows)), snapshot.now());
      moved.addAll(rollout.move());
      moved.addAll(rollout.waiting());
    } else {
      // nothing is stored or placed: every host is (or its running rollout moves it) at the current revision
      moved.addAll(hosts);
    }
    List<HostAction> actions = new ArrayList<>();
    for (String host : hosts) {
      actions.add(action(snapshot, revision, host, rows.get(host), writes.get(host), holds.get(host),
          moved.contains(host)));
    }
    return new AppPlan(app, snapshot.current() == null ? 0 : snapshot.current().revision(), revision, changed,
        Placement.shortfall(spec.getPlacement(), snapshot.fleet().hosts()), actions);
  }

  /** The desired rows placement would leave, as the rollout reads them. */
  private static List<HostReport> reportsAfter(AppPlacement placement, Map<String, Row> rows) {
    Map<String, HostReport> after = new HashMap<>();
    rows.values().stream().filter(Row::desired).forEach(r -> after.put(r.host(), report(r, r.revision())));
    for (Write write : placement.writes()) {
      switch (write) {
        case Write.Insert insert ->
            after.put(insert.host(), new HostReport(insert.host(), placement.revision(), 0, "pending", false, ""));
        case Write.Desire desire -> {
          Row row = rows.get(desire.host());
          after.put(desire.host(), report(row, desire.atRevision() ? placement.revision() : row.revision()));
        }
        case Write.Undesire undesire -> after.remove(undesire.host());
      }
    }
    return List.copyOf(after.values());
  }

  private static HostReport report(Row row, long assigned) {
    return new HostReport(row.host(), assigned, row.reportedRevision(), row.state(), row.healthy(), "");
  }

  private static HostAction action(PlanSnapshot snapshot, long revision, String host, Row row, Write write, Hold hold,
      boolean moved) {
    String app = snapshot.spec().getName();
    if (write instanceof Write.Insert || write instanceof Write.Desire d && d.atRevision()) {
      return new HostAction(host, Action.START, "start " + app + " r" + revision);
    }
    if (write instanceof Write.Undesire) {
      return new HostAction(host, Action.REMOVE, "remove " + app);
    }
    if (hold != null && hold.untilHealthy()) {
      return new HostAction(host, Action.REMOVE, "remove " + app + " once its replacements run healthy");
    }
    String drained = hold != null ? "drained, kept: no replacement host" : "";
    long runs = row.runningRevision();
    long target = moved ? revision : row.revision();
    if (runs == target) {
      return new HostAction(host, Action.KEEP, "keep " + app + " r" + runs + notes(drained));
    }
    AppSpec targetSpec = target == revision ? snapshot.spec() : snapshot.specs().get(target);
    if (SpecFields.runtime(snapshot.specs().get(runs)).equals(SpecFields.runtime(targetSpec))) {
      return new HostAction(host, Action.KEEP, "keep " + app + " r" + runs + notes("placement only", drained));
    }
    return new HostAction(host, Action.REPLACE,
        "start " + app + " r" + target + " beside r" + runs + ", then stop r" + runs + notes(drained));
  }

  /** {@code " (a; b)"} of the notes that are not empty; empty without one. */
  private static String notes(String... notes) {
    String joined = String.join("; ", Arrays.stream(notes).filter(n -> !n.isEmpty()).toList());
    return joined.isEmpty() ? "" : " (" + joined + ")";
  }
}
