package io.drover.server.store;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The server's desired and observed state in PostgreSQL, by concern. Each store reads snapshots,
 * lets the pure deciders ({@code placement}, {@code rollout}) decide, and writes their decisions in
 * one transaction; it returns domain records, which the endpoints map to the wire API.
 *
 * @param apps apps and revisions (apply, delete, status)
 * @param hosts hosts (register, down, last seen)
 * @param assignments what each host runs and reports
 * @param bundles uploaded app bundles
 * @param rollouts rolling releases and their per-host steps
 * @param drains drained hosts and the moves of their apps
 * @param tokens operator and enrollment tokens
 * @param certificates agent certificates, pending enrollments, the CA's fingerprint
 * @param audit the audit log
 * @param figures the fleet's figures for the metrics
 * @param samples what agents report of their apps (request totals, resources)
 * @param notifications webhooks, the events the leader records and their deliveries
 */
public record Store(
    AppStore apps, HostStore hosts, AssignmentStore assignments, BundleStore bundles, RolloutStore rollouts,
    DrainStore drains, TokenStore tokens, CertificateStore certificates, AuditStore audit,
    FiguresStore figures, SampleStore samples, NotifyStore notifications) {

  /**
   * Wires the stores over one database.
   *
   * @param heartbeatTtl how long after its last heartbeat a host still counts as up
   * @param downGrace how long after that its apps stay on it before they are placed elsewhere
   * @param bundleCache directory for the local copies of bundles
   */
  public static Store over(Database db, Clock clock, Duration heartbeatTtl, Duration downGrace, Path bundleCache) {
    HostCandidates candidates = new HostCandidates(clock, heartbeatTtl, downGrace);
    FleetReader reader = new FleetReader(candidates);
    PlacementWriter placement = new PlacementWriter(reader, clock);
    AssignmentStore assignments = new AssignmentStore(db, clock);
    TokenStore tokens = new TokenStore(db, clock);
    return new Store(
        new AppStore(db, reader, placement, clock),
        new HostStore(db, candidates, reader, placement, assignments, clock),
        assignments,
        new BundleStore(db, bundleCache, clock),
        new RolloutStore(db, clock),
        new DrainStore(db, reader, placement),
        tokens,
        new CertificateStore(db, tokens, clock),
        new AuditStore(db, clock),
        new FiguresStore(db),
        new SampleStore(db, clock),
        new NotifyStore(db, clock));
  }
}
