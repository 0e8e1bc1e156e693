package io.drover.server.store;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * An app's latest rollout as stored, with every host the app is desired on.
 *
 * @param state running, succeeded, failed, reverted, superseded, cancelled
 * @param finishedAt empty while running
 * @param reason why it failed, naming the host
 * @param hosts every desired host of the app, sorted by name
 */
public record RolloutView(String app, long revision, long fromRevision, String state, int maxParallel,
    Duration minHealthy, Duration deadline, boolean autoRevert, OffsetDateTime startedAt,
    Optional<OffsetDateTime> finishedAt, String reason, List<Host> hosts) {
  public RolloutView {
    hosts = List.copyOf(hosts);
  }

  /**
   * One host of the rollout.
   *
   * @param step waiting (not started yet), updating, done, failed
   * @param revision the revision the host is assigned now
   * @param state what its agent reports: pending, starting, running, failed
   * @param startedAt when its step started; empty while waiting
   */
  public record Host(String host, String step, long revision, String state, boolean healthy, String reason,
      Optional<OffsetDateTime> startedAt) {}
}
