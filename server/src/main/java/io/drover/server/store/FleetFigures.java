package io.drover.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The fleet as the metrics show it, the same whichever server reads it: each host's liveness, each
 * app's desired instances counted by reported state (and how many of them are healthy), and the
 * state of each app's latest rollout, and what agents report of each instance (request totals and
 * resource figures).
 *
 * @param hosts every known host: whether it is up, when it was last heard from, its agent stream
 * @param instances per app, its desired instances counted by state ({@code pending}, {@code running}, …)
 * @param healthy per app, its desired instances reported healthy
 * @param lastRollout per app that has had a rollout, its latest one
 * @param samples per app and host it is assigned to, the latest report and request totals
 * @param agentVersions how many known hosts run each agent version
 */
public record FleetFigures(
    Map<String, HostMark> hosts,
    Map<String, Map<String, Integer>> instances,
    Map<String, Integer> healthy,
    Map<String, RolloutMark> lastRollout,
    List<InstanceSample> samples,
    Map<String, Integer> agentVersions) {

  public FleetFigures {
    hosts = Map.copyOf(hosts);
    instances = Map.copyOf(instances);
    healthy = Map.copyOf(healthy);
    lastRollout = Map.copyOf(lastRollout);
    samples = List.copyOf(samples);
    agentVersions = Map.copyOf(agentVersions);
  }

  /** A host as the fleet's figures show it. */
  public record HostMark(boolean up, Instant lastSeen, String session) {}

  /** An app's latest rollout: its state, the revision it rolls out and when it started. */
  public record RolloutMark(String state, long revision, Instant startedAt) {}
}
