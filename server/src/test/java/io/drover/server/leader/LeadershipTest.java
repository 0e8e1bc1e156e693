package io.drover.server.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.server.store.Database;
import io.drover.server.store.Fence;
import io.drover.server.store.Fence.FencedException;
import io.drover.testing.MutableClock;
import io.drover.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two servers' leaderships over one real database, with a settable clock. */
class LeadershipTest {
  private static final Duration LEASE = Duration.ofSeconds(15);

  private TestDatabase testDb;
  private Database db;
  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

  @BeforeEach
  void open() {
    testDb = TestDatabase.create();
    db = Database.open(testDb.url(), new SimpleMeterRegistry());
  }

  @AfterEach
  void close() {
    db.close();
    testDb.close();
  }

  /** A leader-only write: counts when the fence lets it through. */
  private void write(Fence fence, AtomicInteger writes) {
    db.dsl().transaction(c -> {
      fence.check(c.dsl());
      writes.incrementAndGet();
    });
  }

  @Test
  void oneLeadsAndAStalledLeaderIsFencedOnceTheOtherTakesOver() {
    Leadership a = new Leadership(db, clock, LEASE, "a");
    Leadership b = new Leadership(db, clock, LEASE, "b");
    AtomicInteger elected = new AtomicInteger();
    b.onElected(elected::incrementAndGet);
    a.tick();
    b.tick();
    assertTrue(a.isLeader());
    assertFalse(b.isLeader());
    assertEquals(1, a.epoch());

    // a renews while it runs.
    clock.advance(Duration.ofSeconds(10));
    a.tick();
    b.tick();
    clock.advance(Duration.ofSeconds(10));
    b.tick();
    assertFalse(b.isLeader(), "a renewed its lease");

    // a stalls (no ticks) past its lease; b takes over with a new epoch.
    Fence stale = a.fence();
    clock.advance(LEASE.plusSeconds(1));
    b.tick();
    assertTrue(b.isLeader());
    assertEquals(2, b.epoch());
    assertEquals(1, elected.get());
    assertFalse(a.isLeader(), "a sees its own lease ran out");

    AtomicInteger writes = new AtomicInteger();
    FencedException refused = assertThrows(FencedException.class, () -> write(stale, writes));
    assertEquals("leader write refused: epoch 1 is not the current epoch 2", refused.getMessage());
    write(b.fence(), writes);
    assertEquals(1, writes.get(), "only the current leader wrote");

    a.tick();
    assertFalse(a.isLeader(), "a does not take the lease back while b renews");
  }

  @Test
  void aLeaderThatStopsHandsOverAtOnce() {
    Leadership a = new Leadership(db, clock, LEASE, "a");
    Leadership b = new Leadership(db, clock, LEASE, "b");
    a.tick();
    a.close();
    b.tick();
    assertTrue(b.isLeader());
    assertEquals(2, b.epoch());
  }

  @Test
  void aLeaderWhoseRenewalsLapsedStartsOverWhenItRenewsAgain() {
    // e.g. the database was unreachable for longer than the lease and no other server took over
    Leadership a = new Leadership(db, clock, LEASE, "a");
    AtomicInteger elected = new AtomicInteger();
    a.onElected(elected::incrementAndGet);
    a.tick();
    Instant first = a.leadingSince();
    clock.advance(LEASE.plusSeconds(5));
    assertFalse(a.isLeader(), "a lapsed lease does not lead");

    a.tick();
    assertTrue(a.isLeader());
    assertEquals(1, a.epoch(), "same epoch: no other server led meanwhile");
    assertEquals(2, elected.get(), "the elected actions run again (rollouts, drains resume)");
    assertEquals(clock.instant(), a.leadingSince(), "silence before the renewal is not counted against hosts");
    assertTrue(a.leadingSince().isAfter(first));

    clock.advance(Duration.ofSeconds(5));
    a.tick();
    assertEquals(2, elected.get(), "an ordinary renewal elects nobody");
  }
}
