package io.drover.server.placement;

import io.drover.server.placement.AppRows.Row;
import io.drover.server.placement.Placement.Candidate;
import io.drover.server.placement.PlacementDecision.AppPlacement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Placement for one host that joins (or comes back with other labels), decided from that host alone
 * instead of the whole fleet, so registering a host costs the same in a fleet of ten or ten thousand.
 * A pure function; {@link PlacementDecider} gives the same writes (the property tests check it).
 *
 * <ul>
 *   <li>An {@code all} app: whether the host runs it depends on the host only (it matches the
 *       selector and is not drained), so its writes are decided here, for that host.
 *   <li>A {@code count} app that already has enough hosts that keep it (desired, matching, not
 *       drained, not lost) does not change when a host joins: nothing to do.
 *   <li>A {@code count} app with too few such hosts, or with a row on the joining host, needs the
 *       whole placement: it is named in {@link Decision#placeAgain()}, for the store to place it as
 *       an apply would.
 * </ul>
 */
public final class HostJoin {
  private HostJoin() {}

  /**
   * @param placed the writes for the joining host, one entry per {@code all} app
   * @param placeAgain the {@code count} apps that need a full placement, sorted
   */
  public record Decision(PlacementDecision placed, List<String> placeAgain) {
    public Decision {
      placeAgain = List.copyOf(placeAgain);
    }
  }

  /**
   * @param host the joining host
   * @param apps the live apps the host can change: for an {@code all} app only the host's own row is
   *     needed, for a {@code count} app all its rows
   * @param holders the hosts holding rows of the {@code count} apps (others may be missing)
   */
  public static Decision decide(Candidate host, List<AppRows> apps, List<Candidate> holders) {
    Map<String, Candidate> byName = holders.stream()
        .collect(Collectors.toMap(Candidate::name, Function.identity(), (a, b) -> a));
    byName.put(host.name(), host);
    FleetSlice alone = new FleetSlice(List.of(host), Map.of());
    List<AppPlacement> placed = new ArrayList<>();
    List<String> placeAgain = new ArrayList<>();
    for (AppRows app : apps.stream().sorted(Comparator.comparing(AppRows::app)).toList()) {
      if (app.deleted()) {
        continue;
      }
      if (app.spec().getPlacement().getAll()) {
        AppRows own = new AppRows(app.app(), false, app.revision(), app.spec(),
            app.rows().stream().filter(r -> r.host().equals(host.name())).toList());
        placed.addAll(PlacementDecider.decide(alone, List.of(own)).apps());
      } else if (needsPlacement(host, app, byName)) {
        placeAgain.add(app.app());
      }
    }
    return new Decision(new PlacementDecision(placed), placeAgain);
  }

  private static boolean needsPlacement(Candidate host, AppRows app, Map<String, Candidate> hosts) {
    if (app.rows().stream().anyMatch(r -> r.host().equals(host.name()))) {
      return true;
    }
    Map<String, String> selector = app.spec().getPlacement().getLabelsMap();
    Set<String> keeping = app.rows().stream()
        .filter(Row::desired)
        .map(r -> hosts.get(r.host()))
        .filter(h -> h != null && !h.drained() && !h.lost() && Placement.matches(selector, h.labels()))
        .map(Candidate::name)
        .collect(Collectors.toSet());
    return keeping.size() < Math.max(0, app.spec().getPlacement().getCount());
  }
}
