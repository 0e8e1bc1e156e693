package io.drover.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.api.v1.AppSpec;
import io.drover.api.v1.AppStatus;
import io.drover.api.v1.Assignments;
import io.drover.api.v1.GunicornSpec;
import io.drover.api.v1.Hello;
import io.drover.api.v1.Host;
import io.drover.api.v1.HostFacts;
import io.drover.api.v1.InstanceState;
import io.drover.api.v1.InstanceStatus;
import io.drover.api.v1.PlacementSpec;
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

class StoreTest {
  @TempDir Path dir;
  private TestDatabase testDb;
  private Database db;
  private Store store;
  private StoreViews views;
  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

  @BeforeEach
  void open() {
    testDb = TestDatabase.create();
    db = Database.open(testDb.url(), new SimpleMeterRegistry());
    store = Store.over(db, clock, Duration.ofSeconds(30), Duration.ofSeconds(30), dir);
    views = new StoreViews(store);
  }

  @AfterEach
  void close() {
    db.close();
    testDb.close();
  }

  static AppSpec spec(String name, Map<String, String> env, PlacementSpec placement) {
    return AppSpec.newBuilder()
        .setName(name)
        .setBundleSha256("a".repeat(64))
        .setGunicorn(GunicornSpec.newBuilder().setApp("app:app").setWorkers(2))
        .putAllEnv(env)
        .setPlacement(placement)
        .build();
  }

  static PlacementSpec web(int count) {
    return PlacementSpec.newBuilder().putLabels("role", "web").setCount(count).build();
  }

  private ChangeNotice hello(String host, Map<String, String> labels) {
    return store.hosts().register(Hello.newBuilder().setHost(host).putAllLabels(labels)
        .setFacts(HostFacts.newBuilder().setCpuCount(2)).build(), "session-" + host);
  }

  @Test
  void applyNumbersRevisionsAndIgnoresIdenticalSpecs() {
    var first = views.apply(spec("hello", Map.of("A", "1", "B", "2"), web(1)));
    assertEquals(new AppStore.Applied("hello", 1, true), first);
    // The same spec with its map built in another order hashes the same.
    var same = views.apply(spec("hello", Map.of("B", "2", "A", "1"), web(1)));
    assertEquals(new AppStore.Applied("hello", 1, false), same);
    var changed = views.apply(spec("hello", Map.of("A", "3"), web(1)));
    assertEquals(new AppStore.Applied("hello", 2, true), changed);
    assertEquals(Map.of("A", "3"), views.app("hello").orElseThrow().getSpec().getEnvMap());
    assertEquals(1, views.apps().size());
  }

  @Test
  void deleteHidesTheAppAndReapplyContinuesNumbering() {
    views.apply(spec("hello", Map.of(), web(1)));
    assertTrue(store.apps().delete("hello"));
    assertFalse(store.apps().delete("hello"));
    assertTrue(views.app("hello").isEmpty());
    assertFalse(views.status("hello").orElseThrow().getExists());
    assertEquals(List.of(), views.apps());
    var again = views.apply(spec("hello", Map.of(), web(1)));
    assertEquals(new AppStore.Applied("hello", 2, true), again);
  }

  @Test
  void helloUpsertsTheHostAndPlacesAppsOnIt() {
    views.apply(spec("hello", Map.of(), web(2)));
    AppStatus before = views.status("hello").orElseThrow();
    assertEquals("2 hosts wanted, 0 match placement {role=web}", before.getShortfall());

    ChangeNotice joined = hello("web-1", Map.of("role", "web"));
    assertEquals(Set.of("web-1"), joined.hosts());
    Assignments set = views.desired("web-1");
    assertEquals("hello", set.getAssignments(0).getApp());
    assertEquals(1, set.getAssignments(0).getRevision());

    // Same labels again: nothing to place.
    assertEquals(Set.of(), hello("web-1", Map.of("role", "web")).hosts());
    Host host = views.hosts().getFirst();
    assertEquals("web-1", host.getName());
    assertEquals("up", host.getState());
    assertEquals(1, host.getInstances());
    assertEquals(2, host.getFacts().getCpuCount());

    assertTrue(store.hosts().markDown("web-1", "session-web-1"));
    assertEquals("down", views.hosts().getFirst().getState());
    assertFalse(store.hosts().markDown("web-1", "an-older-session"));
  }

  @Test
  void processStatesAreKeptUntilAReportSaysOtherwise() {
    hello("web-1", Map.of("role", "web"));
    views.apply(spec("hello", Map.of(), web(1)));
    io.drover.api.v1.ProcessState worker = io.drover.api.v1.ProcessState.newBuilder().setName("worker").setRunning(1)
        .setWanted(2).addOtherStates("BACKOFF").build();
    store.assignments().report("web-1", InstanceStatus.newBuilder().setApp("hello").setRevision(1)
        .setState(InstanceState.INSTANCE_STATE_RUNNING).setHealthy(true).addProcesses(worker).build());
    assertEquals(java.util.List.of(worker), views.status("hello").orElseThrow().getInstances(0).getProcessesList());
    // a health flip of the running instance carries no processes: the last ones stand
    store.assignments().report("web-1", InstanceStatus.newBuilder().setApp("hello").setRevision(1)
        .setState(InstanceState.INSTANCE_STATE_RUNNING).setHealthy(false).build());
    assertEquals(java.util.List.of(worker), views.status("hello").orElseThrow().getInstances(0).getProcessesList());
    store.assignments().report("web-1", InstanceStatus.newBuilder().setApp("hello").setRevision(1)
        .setState(InstanceState.INSTANCE_STATE_FAILED).build());
    assertEquals(0, views.status("hello").orElseThrow().getInstances(0).getProcessesCount());
  }

  @Test
  void statusReportsShowUpAndRemovedRowsGo() {
    hello("web-1", Map.of("role", "web"));
    views.apply(spec("hello", Map.of(), web(1)));
    store.assignments().report("web-1", InstanceStatus.newBuilder().setApp("hello").setRevision(1)
        .setState(InstanceState.INSTANCE_STATE_RUNNING).setHealthy(true).build());
    var instance = views.status("hello").orElseThrow().getInstances(0);
    assertEquals("running", instance.getState());
    assertTrue(instance.getHealthy());
    assertEquals(1, views.apps().getFirst().getRunning());

    store.apps().delete("hello");
    assertEquals("removing", views.status("hello").orElseThrow().getInstances(0).getState());
    store.assignments().report("web-1", InstanceStatus.newBuilder().setApp("hello")
        .setState(InstanceState.INSTANCE_STATE_REMOVED).build());
    assertEquals(0, views.status("hello").orElseThrow().getInstancesCount());
  }

  @Test
  void hostSilentForTooLongCountsAsDown() {
    hello("web-1", Map.of("role", "web"));
    clock.advance(Duration.ofSeconds(31));
    assertEquals("down", views.hosts().getFirst().getState());
    store.hosts().touch(Map.of("web-1", "session-web-1"));
    assertEquals("up", views.hosts().getFirst().getState());
  }
}
