package io.drover.server.placement;

import io.drover.server.placement.AppRows.Row;
import io.drover.server.placement.Placement.Candidate;
import io.drover.server.placement.PlacementDecision.AppPlacement;
import io.drover.server.placement.PlacementDecision.Hold;
import io.drover.server.placement.PlacementDecision.Write;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides the assignment rows of apps: a pure function of a {@link FleetSlice} and the apps' rows.
 * Apps are placed one after the other in name order, each seeing the load the ones before left.
 *
 * <ul>
 *   <li>Which hosts: {@link Placement#choose}, with each host's load not counting this app.
 *   <li>A chosen host without a row gets one at the app's current revision. A chosen host that
 *       runs the app keeps its revision: moving it is the rollout's job. A chosen host whose row
 *       never ran the app is moved to the current revision at once.
 *   <li>A desired row on a host not chosen is no longer desired, except the drain hold: a drained
 *       (not lost) host keeps a {@code count} app's instance until every host placement wants is
 *       chosen and runs the app healthy, so the app never runs on fewer hosts during a drain.
 *   <li>A deleted app is placed on no host.
 * </ul>
 */
public final class PlacementDecider {
  private PlacementDecider() {}

  public static PlacementDecision decide(FleetSlice fleet, List<AppRows> apps) {
    Map<String, Integer> load = new HashMap<>(fleet.load());
    List<AppPlacement> out = new ArrayList<>();
    for (AppRows app : apps.stream().sorted(Comparator.comparing(AppRows::app)).toList()) {
      out.add(placeOne(fleet.hosts(), load, app));
    }
    return new PlacementDecision(out);
  }

  private static AppPlacement placeOne(List<Candidate> hosts, Map<String, Integer> load, AppRows app) {
    Map<String, Row> rows = app.rows().stream().collect(Collectors.toMap(Row::host, Function.identity()));
    Set<String> current = app.rows().stream().filter(Row::desired).map(Row::host).collect(Collectors.toSet());
    List<String> chosen;
    boolean everyWantedHostChosen = true;
    boolean handedOver = true;
    if (app.deleted()) {
      chosen = List.of();
    } else {
      Map<String, Integer> others = new HashMap<>(load);
      current.forEach(h -> others.merge(h, -1, Integer::sum));
      chosen = Placement.choose(app.spec().getPlacement(), hosts, others, current);
      if (!app.spec().getPlacement().getAll()) {
        everyWantedHostChosen = chosen.size() >= Placement.wanted(app.spec().getPlacement(), hosts);
        handedOver = everyWantedHostChosen
            && chosen.stream().map(rows::get).allMatch(r -> r != null && r.runsHealthy());
      }
    }
    List<Write> writes = new ArrayList<>();
    for (String host : chosen) {
      Row row = rows.get(host);
      if (row == null) {
        writes.add(new Write.Insert(host));
      } else {
        boolean neverRanOldRevision = row.revision() != app.revision() && row.reportedRevision() == 0;
        if (!row.desired() || neverRanOldRevision) {
          writes.add(new Write.Desire(host, neverRanOldRevision));
        }
      }
    }
    List<Hold> holds = new ArrayList<>();
    for (String host : current.stream().sorted().toList()) {
      if (chosen.contains(host)) {
        continue;
      }
      if (!handedOver && drainedAndReachable(hosts, host)) {
        holds.add(new Hold(host, everyWantedHostChosen));
      } else {
        writes.add(new Write.Undesire(host));
      }
    }
    chosen.stream().filter(h -> !current.contains(h)).forEach(h -> load.merge(h, 1, Integer::sum));
    writes.stream().filter(w -> w instanceof Write.Undesire).forEach(w -> load.merge(w.host(), -1, Integer::sum));
    writes.sort(Comparator.comparing(Write::host));
    return new AppPlacement(app.app(), app.revision(), chosen, writes, holds);
  }

  private static boolean drainedAndReachable(List<Candidate> hosts, String host) {
    return hosts.stream().anyMatch(c -> c.name().equals(host) && c.drained() && !c.lost());
  }
}
