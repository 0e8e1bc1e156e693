package io.drover.server.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.drover.api.v1.Hello;
import io.drover.server.store.Database;
import io.drover.server.store.Fence;
import io.drover.server.store.Store;
import io.drover.testing.MutableClock;
import io.drover.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heartbeats that cannot be written (the database hiccuped) mark nobody down: the sweep counts
 * silence only since the buffer's flushes succeed again. Real PostgreSQL, a clock the test moves.
 */
class LastSeenBufferTest {
  private static final Duration TTL = Duration.ofSeconds(10);
  private static final Duration GRACE = Duration.ofSeconds(30);
  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(START);
  private final AtomicBoolean outage = new AtomicBoolean();
  private TestDatabase testDb;
  private Database db;
  private Store store;
  private LastSeenBuffer buffer;

  @BeforeEach
  void open() {
    testDb = TestDatabase.create();
    db = Database.open(testDb.url(), new SimpleMeterRegistry());
    store = Store.over(db, clock, TTL, GRACE, dir);
    // the statement fails as it would while the database cannot be reached; otherwise it is written
    LastSeenBuffer.Writer writer = sessions -> {
      if (outage.get()) {
        throw new org.jooq.exception.DataAccessException("Connection to 127.0.0.1:5432 refused");
      }
      return store.hosts().touch(sessions);
    };
    // flushed by hand below: the timer's interval is longer than any test
    buffer = new LastSeenBuffer(writer, Duration.ofHours(1), clock);
    for (String host : List.of("web-1", "web-2", "web-3")) {
      store.hosts().register(Hello.newBuilder().setHost(host).build(), "session-" + host);
    }
  }

  @AfterEach
  void close() {
    outage.set(false);
    buffer.close();
    db.close();
    testDb.close();
  }

  /** One heartbeat period of every agent that still runs, then the flush and the leader's sweep. */
  private void beat(List<String> alive, Duration step) {
    clock.advance(step);
    alive.forEach(h -> buffer.seen(h, "session-" + h));
    buffer.flush();
    store.hosts().sweep(Fence.NONE, later(START, buffer.writtenSince()));
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private List<String> down() {
    return store.hosts().list().stream().filter(h -> !h.up()).map(h -> h.name()).toList();
  }

  @Test
  void aFlushFailureMarksNobodyDown() {
    List<String> all = List.of("web-1", "web-2", "web-3");
    beat(all, Duration.ofSeconds(2));
    assertEquals(List.of(), down());

    // the database fails every flush for longer than the TTL plus the grace
    outage.set(true);
    for (int i = 0; i < 25; i++) {
      beat(all, Duration.ofSeconds(2));
    }
    outage.set(false);
    assertEquals(List.of(), db.dsl().select(io.drover.server.store.db.Tables.HOST.NAME)
        .from(io.drover.server.store.db.Tables.HOST)
        .where(io.drover.server.store.db.Tables.HOST.STATE.ne("up"))
        .fetch(io.drover.server.store.db.Tables.HOST.NAME), "no host marked down during the outage");

    // it answers again: the kept heartbeats are written, the sweep finds every host alive
    beat(all, Duration.ofSeconds(2));
    assertEquals(List.of(), down());
    assertEquals(List.of(), store.hosts().sweep(Fence.NONE, START).hosts().stream().toList(),
        "the heartbeats held through the outage were written at once");
  }

  @Test
  void aHostThatStopsBeatingAfterAnOutageIsStillMarkedDownAfterTheTtl() {
    outage.set(true);
    beat(List.of("web-1", "web-2", "web-3"), Duration.ofSeconds(2));
    outage.set(false);
    beat(List.of("web-1", "web-2", "web-3"), Duration.ofSeconds(2));

    // web-3's agent hung: its stream stays open but says nothing
    for (int i = 0; i < 5; i++) {
      beat(List.of("web-1", "web-2"), Duration.ofSeconds(2));
    }
    assertEquals(List.of(), down(), "within the TTL");
    beat(List.of("web-1", "web-2"), Duration.ofSeconds(2));
    assertEquals(List.of("web-3"), down());
  }

  @Test
  void silenceCountsFromTheFirstFlushThatSucceedsAgain() {
    outage.set(true);
    beat(List.of("web-1"), Duration.ofSeconds(2));
    clock.advance(Duration.ofMinutes(5));
    assertEquals(clock.instant(), buffer.writtenSince(), "while flushes fail, no silence counts");
    outage.set(false);
    buffer.flush();
    Instant recovered = clock.instant();
    clock.advance(Duration.ofSeconds(3));
    assertEquals(recovered, buffer.writtenSince());
  }
}
