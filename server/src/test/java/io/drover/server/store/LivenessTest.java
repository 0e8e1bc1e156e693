package io.drover.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.drover.api.v1.Hello;
import io.drover.api.v1.InstanceState;
import io.drover.api.v1.InstanceStatus;
import io.drover.server.changes.ChangeNotice;
import io.drover.testing.MutableClock;
import io.drover.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Heartbeat TTL, grace and the replacement of a lost host's instances, with a settable clock. */
class LivenessTest {
  private static final Duration TTL = Duration.ofSeconds(10);
  private static final Duration GRACE = Duration.ofSeconds(30);
  private static final Map<String, String> WEB = Map.of("role", "web");

  @TempDir Path dir;
  private TestDatabase testDb;
  private Database db;
  private Store store;
  private StoreViews views;
  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
  private final MutableClock clock = new MutableClock(START);

  @BeforeEach
  void open() {
    testDb = TestDatabase.create();
    db = Database.open(testDb.url(), new SimpleMeterRegistry());
    store = Store.over(db, clock, TTL, GRACE, dir);
    views = new StoreViews(store);
  }

  @AfterEach
  void close() {
    db.close();
    testDb.close();
  }

  private void hello(String host) {
    store.hosts().register(Hello.newBuilder().setHost(host).putAllLabels(WEB).build(), "session-" + host);
  }

  private List<String> assigned(String host) {
    return views.desired(host).getAssignmentsList().stream()
        .map(a -> a.getApp() + "@" + a.getRevision()).toList();
  }

  private String state(String host) {
    return views.hosts().stream().filter(h -> h.getName().equals(host)).findFirst().orElseThrow().getState();
  }

  /** Moves the clock on while web-2 and web-3 keep sending heartbeats. */
  private void pass(Duration d) {
    clock.advance(d);
    store.hosts().touch(Map.of("web-2", "session-web-2", "web-3", "session-web-3"));
  }

  @Test
  void aLostHostsCountAppMovesAfterTtlPlusGraceAndTheSurplusGoesWhenItReturns() {
    hello("web-1");
    hello("web-2");
    hello("web-3");
    views.apply(StoreTest.spec("hello", Map.of(), StoreTest.web(2)));
    assertEquals(List.of("hello@1"), assigned("web-1"));
    assertEquals(List.of("hello@1"), assigned("web-2"));
    assertEquals(List.of(), assigned("web-3"));
    store.assignments().report("web-2", InstanceStatus.newBuilder().setApp("hello").setRevision(1)
        .setState(InstanceState.INSTANCE_STATE_RUNNING).setHealthy(true).build());

    // The stream ends: down at once, but the instance stays through the TTL and the grace.
    store.hosts().markDown("web-1", "session-web-1");
    assertEquals("down", state("web-1"));
    pass(Duration.ofSeconds(20));
    assertEquals(ChangeNotice.NONE, store.hosts().sweep(Fence.NONE, START));
    pass(Duration.ofSeconds(20));
    assertEquals(ChangeNotice.NONE, store.hosts().sweep(Fence.NONE, START));
    assertEquals(List.of(), assigned("web-3"));

    pass(Duration.ofSeconds(1));
    ChangeNotice moved = store.hosts().sweep(Fence.NONE, START);
    assertEquals(Set.of("web-1", "web-3"), moved.hosts());
    assertEquals(List.of("hello@1"), assigned("web-3"));
    assertEquals(List.of(), assigned("web-1"));
    assertEquals(ChangeNotice.NONE, store.hosts().sweep(Fence.NONE, START), "a lost host is handled once");

    // web-1 comes back: it gets nothing (its instance is the surplus); the survivors are untouched.
    hello("web-1");
    assertEquals(List.of(), assigned("web-1"));
    assertEquals(List.of("hello@1"), assigned("web-2"));
    assertEquals(List.of("hello@1"), assigned("web-3"));
    assertEquals("running", views.status("hello").orElseThrow().getInstancesList().stream()
        .filter(i -> i.getHost().equals("web-2")).findFirst().orElseThrow().getState());
  }

  @Test
  void aDeadStreamNoticedLateCountsFromTheHostsLastSignOfLife() {
    // web-1 and web-4: hosts pass() does not keep alive
    hello("web-1");
    hello("web-4");
    views.apply(StoreTest.spec("hello", Map.of(), StoreTest.web(1)));
    String holder = assigned("web-1").isEmpty() ? "web-4" : "web-1";
    String other = holder.equals("web-1") ? "web-4" : "web-1";
    Instant lastHeard = clock.instant();

    // the connection was blackholed: keepalive ends the stream 30 s after the agent last spoke
    pass(Duration.ofSeconds(30));
    store.hosts().touch(Map.of(other, "session-" + other));
    store.hosts().markDown(holder, "session-" + holder, lastHeard);
    pass(TTL.plus(GRACE).minusSeconds(30).plusSeconds(1));
    store.hosts().touch(Map.of(other, "session-" + other));
    assertEquals(Set.of(holder, other), store.hosts().sweep(Fence.NONE, START).hosts(),
        "TTL + grace after the last heartbeat, not after the stream's end");
    assertEquals(List.of("hello@1"), assigned(other));
  }

  @Test
  void silenceWhileNoServerWatchedDoesNotLoseAHost() {
    hello("web-1");
    hello("web-2");
    views.apply(StoreTest.spec("hello", Map.of(), StoreTest.web(1)));
    List<String> before = assigned("web-1").isEmpty() ? List.of("web-2") : List.of("web-1");
    store.hosts().markDown(before.get(0), "session-" + before.get(0));

    // every server was down for a minute; one starts leading now: the host gets TTL + grace from now
    clock.advance(Duration.ofMinutes(1));
    Instant leading = clock.instant();
    store.hosts().touch(heartbeatOf(before.get(0).equals("web-1") ? "web-2" : "web-1"));
    assertEquals(ChangeNotice.NONE, store.hosts().sweep(Fence.NONE, leading));
    assertEquals(List.of("hello@1"), assigned(before.get(0)), "the silent host keeps its app");

    clock.advance(TTL.plus(GRACE).plusSeconds(1));
    store.hosts().touch(heartbeatOf(before.get(0).equals("web-1") ? "web-2" : "web-1"));
    assertEquals(Set.of("web-1", "web-2"), store.hosts().sweep(Fence.NONE, leading).hosts(),
        "after TTL + grace under a watching leader the app moves");
    assertEquals(List.of(), assigned(before.get(0)));
  }

  @Test
  void aHostWhoseServerDiedIsMarkedDownAfterTheTtl() {
    hello("web-1");
    clock.advance(TTL.plusSeconds(1));
    store.hosts().sweep(Fence.NONE, START);
    assertEquals("down", state("web-1"));
    hello("web-1");
    assertEquals("up", state("web-1"));
  }

  @Test
  void silenceBeforeTheLeaderStartedWatchingDoesNotMarkAHostDown() {
    hello("web-1");
    clock.advance(TTL.plusSeconds(20));
    Instant leading = clock.instant().minusSeconds(5);
    assertEquals(ChangeNotice.NONE, store.hosts().sweep(Fence.NONE, leading));
    assertEquals("up", db.dsl().select(io.drover.server.store.db.Tables.HOST.STATE)
        .from(io.drover.server.store.db.Tables.HOST).fetchOne(0, String.class), "not marked down in the database");
    clock.advance(TTL);
    store.hosts().sweep(Fence.NONE, leading);
    assertEquals("down", state("web-1"), "silent for the TTL while the leader watched");
  }

  @Test
  void aHostMarkedDownWhileItsStreamStayedOpenIsUpAgainAtItsNextHeartbeat() {
    // the database was unreachable longer than the TTL: no heartbeat could be written meanwhile
    hello("web-1");
    clock.advance(TTL.plusSeconds(1));
    store.hosts().sweep(Fence.NONE, START);
    assertEquals("down", state("web-1"));

    store.hosts().touch(Map.of("web-1", "an-older-session"));
    assertEquals("down", state("web-1"), "a heartbeat on a replaced stream changes nothing");
    store.hosts().touch(heartbeatOf("web-1"));
    assertEquals("up", state("web-1"));
  }

  private static Map<String, String> heartbeatOf(String host) {
    return Map.of(host, "session-" + host);
  }

  @Test
  void aFencedSweepWritesNothing() {
    hello("web-1");
    clock.advance(TTL.plus(GRACE).plusSeconds(1));
    assertThrows(Fence.FencedException.class, () -> store.hosts().sweep(tx -> {
      throw new Fence.FencedException("stale epoch");
    }, START));
    store.hosts().touch(Map.of());
    assertEquals(1, db.dsl().fetchCount(io.drover.server.store.db.Tables.HOST,
        io.drover.server.store.db.Tables.HOST.STATE.eq("up")), "still up in the database");
  }

  @Test
  void theHeartbeatsOfTwentyThousandHostsAreWrittenInOneFlush() {
    int fleet = 20_000;
    // the fleet as registered hosts would leave it, inserted in one statement to keep the test quick
    db.dsl().execute("insert into host (name, labels, facts, state, session, last_seen, created_at) "
        + "select 'host-' || i, '{}', '{}', 'up', 'session-host-' || i, ?::timestamptz, ?::timestamptz from generate_series(1, ?) i",
        java.time.OffsetDateTime.ofInstant(START, java.time.ZoneOffset.UTC),
        java.time.OffsetDateTime.ofInstant(START, java.time.ZoneOffset.UTC), fleet);
    Map<String, String> heard = new java.util.HashMap<>();
    for (int i = 1; i <= fleet; i++) {
      heard.put("host-" + i, "session-host-" + i);
    }
    heard.put("host-7", "a-replaced-stream");

    clock.advance(TTL.minusSeconds(1));
    assertEquals(fleet - 1, store.hosts().touch(heard), "every host but the one on a replaced stream");
    clock.advance(Duration.ofSeconds(2));
    store.hosts().sweep(Fence.NONE, START);
    assertEquals(List.of("host-7"), db.dsl().select(io.drover.server.store.db.Tables.HOST.NAME)
        .from(io.drover.server.store.db.Tables.HOST)
        .where(io.drover.server.store.db.Tables.HOST.STATE.eq("down"))
        .fetch(io.drover.server.store.db.Tables.HOST.NAME), "only the host whose heartbeat was not written is down");
  }
}
