package io.drover.server.store;

import java.util.List;
import java.util.Map;

/**
 * The fleet as the metrics show it, the same whichever server reads it: each host's liveness, each
 * app's desired instances counted by reported state (and how many of them are healthy), and the
 * state of each app's latest rollout, and what agents report of each instance (request totals and
 * resource figures).
 *
 * @param hostsUp every known host, true while it is up
 * @param instances per app, its desired instances counted by state ({@code pending}, {@code running}, …)
 * @param healthy per app, its desired instances reported healthy
 * @param lastRollout per app that has had a rollout, the state of its latest one
 * @param samples per app and host it is assigned to, the latest report and request totals
 */
public record FleetFigures(
    Map<String, Boolean> hostsUp,
    Map<String, Map<String, Integer>> instances,
    Map<String, Integer> healthy,
    Map<String, String> lastRollout,
    List<InstanceSample> samples) {

  public FleetFigures {
    hostsUp = Map.copyOf(hostsUp);
    instances = Map.copyOf(instances);
    healthy = Map.copyOf(healthy);
    lastRollout = Map.copyOf(lastRollout);
    samples = List.copyOf(samples);
  }
}
