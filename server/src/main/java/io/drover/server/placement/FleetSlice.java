package io.drover.server.placement;

import io.drover.server.placement.Placement.Candidate;
import java.util.List;
import java.util.Map;

/**
 * The part of the fleet that placing some apps reads: the hosts those apps may run on or run on now
 * (every host matching one of their selectors, and every host holding one of their rows — not
 * necessarily the whole fleet), and how many desired assignments each of those hosts has.
 *
 * @param load desired assignments per host, of every app (missing means none)
 */
public record FleetSlice(List<Candidate> hosts, Map<String, Integer> load) {
  public FleetSlice {
    hosts = List.copyOf(hosts);
    load = Map.copyOf(load);
  }
}
