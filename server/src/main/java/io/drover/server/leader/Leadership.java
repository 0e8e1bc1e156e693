package io.drover.server.leader;

import static io.drover.server.store.db.Tables.LEADER_LEASE;

import io.drover.server.store.Database;
import io.drover.server.store.Fence;
import io.drover.server.store.Fence.FencedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server's part in choosing one leader among the servers on one database. The leader holds the
 * lease row ({@code leader_lease}) until it expires; each {@link #tick} renews it, or takes it over
 * once expired, bumping its epoch. Leader-only writes run {@link #fence()} in their transaction: it
 * locks the lease row (shared) and refuses unless the epoch is still the one this server acted on,
 * so a leader that was paused past its lease cannot write after another took over.
 */
public final class Leadership implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Leadership.class);
  private static final String LEASE = "drover";

  private final Database db;
  private final Clock clock;
  private final Duration lease;
  private final String id;
  private final List<Runnable> onElected = new CopyOnWriteArrayList<>();
  private volatile long epoch;
  private volatile Instant leadingSince = Instant.MAX;
  private volatile OffsetDateTime expiresAt = OffsetDateTime.MIN;

  /**
   * @param lease how long a lease lasts without renewal
   * @param id this server's identity in the lease row (unique per running server)
   */
  public Leadership(Database db, Clock clock, Duration lease, String id) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lease = Objects.requireNonNull(lease, "lease");
    this.id = Objects.requireNonNull(id, "id");
  }

  /** Runs {@code action} (on the ticking thread) each time this server becomes the leader. */
  public void onElected(Runnable action) {
    onElected.add(action);
  }

  public boolean isLeader() {
    return epoch > 0 && OffsetDateTime.now(clock).isBefore(expiresAt);
  }

  /** The epoch this server leads in, 0 when it does not lead. */
  public long epoch() {
    return isLeader() ? epoch : 0;
  }

  /** When this server took its current epoch (far future when it does not lead). */
  public Instant leadingSince() {
    return isLeader() ? leadingSince : Instant.MAX;
  }

  /** The fence of the current epoch; writes through it are refused once another server leads. */
  public Fence fence() {
    long current = epoch;
    return tx -> verify(tx, current);
  }

  /** Refuses (throws {@link FencedException}) unless {@code epoch} is the lease's current epoch. */
  public static void verify(DSLContext tx, long epoch) {
    Long current = tx.select(LEADER_LEASE.EPOCH).from(LEADER_LEASE).where(LEADER_LEASE.NAME.eq(LEASE))
        .forShare().fetchOne(LEADER_LEASE.EPOCH);
    if (epoch <= 0 || current == null || current != epoch) {
      throw new FencedException("leader write refused: epoch " + epoch + " is not the current epoch " + current);
    }
  }

  /** Renews the lease when leading, takes it when it expired; call periodically (a third of the lease). */
  public void tick() {
    OffsetDateTime now = OffsetDateTime.now(clock);
    OffsetDateTime until = now.plus(lease);
    try {
      if (epoch > 0) {
        int renewed = db.dsl().update(LEADER_LEASE)
            .set(LEADER_LEASE.EXPIRES_AT, until)
            .where(LEADER_LEASE.NAME.eq(LEASE), LEADER_LEASE.HOLDER.eq(id), LEADER_LEASE.EPOCH.eq(epoch))
            .execute();
        if (renewed == 1) {
          boolean lapsed = !now.isBefore(expiresAt);
          expiresAt = until;
          if (lapsed) {
            // no renewal got through for a whole lease (e.g. the database was unreachable): while
            // it lapsed this server did not watch, so it starts over as a newly elected leader
            elected(epoch, "renewed_after_lapse");
          }
          return;
        }
        log.warn("event=leadership_lost server={} epoch={}", id, epoch);
        epoch = 0;
      }
      Long taken = db.dsl().update(LEADER_LEASE)
          .set(LEADER_LEASE.HOLDER, id)
          .set(LEADER_LEASE.EPOCH, LEADER_LEASE.EPOCH.plus(1))
          .set(LEADER_LEASE.EXPIRES_AT, until)
          .where(LEADER_LEASE.NAME.eq(LEASE), LEADER_LEASE.EXPIRES_AT.lt(now))
          .returning(LEADER_LEASE.EPOCH)
          .fetchOptional(LEADER_LEASE.EPOCH)
          .orElse(null);
      if (taken != null) {
        epoch = taken;
        expiresAt = until;
        elected(taken, "lease_taken");
      }
    } catch (RuntimeException e) {
      log.warn("event=lease_tick_failed server={} epoch={} error={}", id, epoch, e.toString());
    }
  }

  private void elected(long taken, String how) {
    leadingSince = clock.instant();
    log.info("event=leader_elected server={} epoch={} how={}", id, taken, how);
    for (Runnable action : onElected) {
      action.run();
    }
  }

  /** Gives the lease up so another server can lead at once. */
  @Override
  public void close() {
    long mine = epoch;
    epoch = 0;
    if (mine == 0) {
      return;
    }
    try {
      db.dsl().update(LEADER_LEASE)
          .set(LEADER_LEASE.EXPIRES_AT, OffsetDateTime.now(clock).minusSeconds(1))
          .where(LEADER_LEASE.NAME.eq(LEASE), LEADER_LEASE.HOLDER.eq(id), LEADER_LEASE.EPOCH.eq(mine))
          .execute();
      log.info("event=leadership_released server={} epoch={}", id, mine);
    } catch (RuntimeException e) {
      log.warn("event=lease_release_failed server={} epoch={} error={}", id, mine, e.toString());
    }
  }
}
