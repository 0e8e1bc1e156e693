package io.drover.server.store;

import static io.drover.server.store.db.Tables.ASSIGNMENT;

import io.drover.server.placement.AppRows;
import io.drover.server.placement.PlacementDecider;
import io.drover.server.placement.PlacementDecision;
import io.drover.server.placement.PlacementDecision.AppPlacement;
import io.drover.server.placement.PlacementDecision.Write;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places apps inside a transaction: reads their snapshot ({@link FleetReader}), lets {@link
 * PlacementDecider} decide, and writes the decision as assignment rows. Placement is serialized
 * across servers by a transaction-level advisory lock.
 */
final class PlacementWriter {
  private static final Logger log = LoggerFactory.getLogger(PlacementWriter.class);
  /** Advisory lock key held while placing ("drover" in ASCII). */
  private static final long LOCK_KEY = 0x6472_6f76_6572L;

  private final FleetReader reader;
  private final Clock clock;

  PlacementWriter(FleetReader reader, Clock clock) {
    this.reader = reader;
    this.clock = clock;
  }

  /** Takes the placement lock until the transaction ends; call before reading what placement reads. */
  static void lock(DSLContext tx) {
    tx.fetch("select pg_advisory_xact_lock(?)", LOCK_KEY);
  }

  /**
   * Takes the placement lock shared until the transaction ends: any number of hosts may register at
   * once, each writing only its own rows, while a placement of whole apps (apply, sweep, drain) waits
   * for them and they for it, so a host joining during an apply is either seen by it or sees it.
   */
  static void lockShared(DSLContext tx) {
    tx.fetch("select pg_advisory_xact_lock_shared(?)", LOCK_KEY);
  }

  /** Writes a decision made elsewhere (a joining host's, see {@code HostJoin}) under the caller's lock. */
  Set<String> write(DSLContext tx, PlacementDecision decision) {
    decision.apps().forEach(placement -> write(tx, placement));
    return decision.changedHosts();
  }

  /** Places each app (deleted ones on no host) and returns the hosts whose assignments changed. */
  Set<String> place(DSLContext tx, Collection<String> apps) {
    lock(tx);
    List<AppRows> rows = reader.apps(tx, apps);
    PlacementDecision decision = PlacementDecider.decide(reader.slice(tx, rows), rows);
    decision.apps().forEach(placement -> write(tx, placement));
    return decision.changedHosts();
  }

  private void write(DSLContext tx, AppPlacement placement) {
    String app = placement.app();
    OffsetDateTime now = OffsetDateTime.now(clock);
    for (Write write : placement.writes()) {
      switch (write) {
        case Write.Insert insert -> tx.insertInto(ASSIGNMENT)
            .set(ASSIGNMENT.APP, app)
            .set(ASSIGNMENT.HOST, insert.host())
            .set(ASSIGNMENT.REVISION, placement.revision())
            .set(ASSIGNMENT.DESIRED, true)
            .set(ASSIGNMENT.STATE, "pending")
            .set(ASSIGNMENT.UPDATED_AT, now)
            .execute();
        case Write.Desire desire when desire.atRevision() -> tx.update(ASSIGNMENT)
            .set(ASSIGNMENT.DESIRED, true)
            .set(ASSIGNMENT.REVISION, placement.revision())
            .set(ASSIGNMENT.STATE, "pending")
            .set(ASSIGNMENT.REASON, "")
            .set(ASSIGNMENT.UPDATED_AT, now)
            .where(ASSIGNMENT.APP.eq(app), ASSIGNMENT.HOST.eq(desire.host()))
            .execute();
        case Write.Desire desire -> tx.update(ASSIGNMENT)
            .set(ASSIGNMENT.DESIRED, true)
            .set(ASSIGNMENT.UPDATED_AT, now)
            .where(ASSIGNMENT.APP.eq(app), ASSIGNMENT.HOST.eq(desire.host()))
            .execute();
        case Write.Undesire undesire -> tx.update(ASSIGNMENT)
            .set(ASSIGNMENT.DESIRED, false)
            .set(ASSIGNMENT.UPDATED_AT, now)
            .where(ASSIGNMENT.APP.eq(app), ASSIGNMENT.HOST.eq(undesire.host()))
            .execute();
      }
    }
    if (!placement.writes().isEmpty()) {
      log.debug("event=placed app={} revision={} hosts={} changed={} held={}", app, placement.revision(),
          placement.chosen(), placement.changedHosts(), placement.holds());
    }
  }
}
