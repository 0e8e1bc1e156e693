package io.drover.server.store;

import static io.drover.server.store.db.Tables.HOST;

import io.drover.server.placement.Placement.Candidate;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;

/**
 * Reads hosts as placement sees them. A host counts as up while its state is "up" and it was heard
 * from within the heartbeat TTL: a server that died without marking its hosts down does not keep them
 * up forever. It counts as lost once not heard from for the TTL plus the grace period.
 */
final class HostCandidates {
  private final Clock clock;
  private final Duration ttl;
  private final Duration grace;

  HostCandidates(Clock clock, Duration ttl, Duration grace) {
    this.clock = clock;
    this.ttl = ttl;
    this.grace = grace;
  }

  /** The hosts {@code which} selects, sorted by name. */
  List<Candidate> load(DSLContext dsl, Condition which) {
    return dsl.select(HOST.NAME, HOST.LABELS, HOST.STATE, HOST.LAST_SEEN, HOST.DRAINED)
        .from(HOST)
        .where(which)
        .orderBy(HOST.NAME)
        .fetch(r -> new Candidate(r.value1(), JsonColumns.labels(r.value2()), up(r.value3(), r.value4()),
            lost(r.value4()), r.value5()));
  }

  boolean up(String state, OffsetDateTime lastSeen) {
    return "up".equals(state) && !lastSeen.toInstant().plus(ttl).isBefore(clock.instant());
  }

  boolean lost(OffsetDateTime lastSeen) {
    return lastSeen.toInstant().plus(ttl).plus(grace).isBefore(clock.instant());
  }

  /** last_seen before this instant means the host is down (when no stream said so). */
  OffsetDateTime staleBefore() {
    return OffsetDateTime.now(clock).minus(ttl);
  }

  /** last_seen before this instant means the host is lost. */
  OffsetDateTime lostBefore() {
    return OffsetDateTime.now(clock).minus(ttl).minus(grace);
  }
}
