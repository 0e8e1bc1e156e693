package io.drover.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.api.v1.Hello;
import io.drover.api.v1.PlacementSpec;
import io.drover.testing.MutableClock;
import io.drover.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hosts registering side by side, each placed from itself, while apps are applied. */
class RegistrationTest {
  private static final Map<String, String> WEB = Map.of("role", "web");

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

  private void hello(String host) {
    store.hosts().register(Hello.newBuilder().setHost(host).putAllLabels(WEB).build(), "session-" + host);
  }

  private List<String> holders(String app) {
    return store.hosts().list().stream().map(HostStore.HostRecord::name)
        .filter(h -> views.desired(h).getAssignmentsList().stream().anyMatch(a -> a.getApp().equals(app)))
        .toList();
  }

  @Test
  void hostsJoiningTogetherDuringAnApplyEachGetTheAllAppAndTheCountAppIsFilledOnce() throws Exception {
    hello("web-000");
    views.apply(StoreTest.spec("site", Map.of(), PlacementSpec.newBuilder().putAllLabels(WEB).setAll(true).build()));
    views.apply(StoreTest.spec("api", Map.of(), StoreTest.web(3)));
    List<Future<?>> joins = new ArrayList<>();
    try (ExecutorService agents = Executors.newFixedThreadPool(8)) {
      for (int i = 1; i < 120; i++) {
        String host = String.format("web-%03d", i);
        joins.add(agents.submit(() -> hello(host)));
        if (i == 60) {
          // an all app applied while hosts join: every host gets it, whichever went first
          joins.add(agents.submit(() -> views.apply(StoreTest.spec("docs", Map.of(),
              PlacementSpec.newBuilder().putAllLabels(WEB).setAll(true).build()))));
        }
      }
      for (Future<?> join : joins) {
        join.get();
      }
    }
    assertEquals(120, holders("site").size(), "every host runs the all app");
    assertEquals(120, holders("docs").size(), "the all app applied during the joins too");
    assertEquals(3, holders("api").size(), "the count app on exactly 3 hosts");
  }

  @Test
  void aCountAppShortOfHostsIsPlacedOnTheHostThatJoins() {
    hello("web-1");
    views.apply(StoreTest.spec("api", Map.of(), StoreTest.web(2)));
    assertEquals(List.of("web-1"), holders("api"));
    hello("web-2");
    assertEquals(List.of("web-1", "web-2"), holders("api"));
    hello("web-3");
    assertEquals(List.of("web-1", "web-2"), holders("api"), "a full count app does not move");
  }

  @Test
  void aHostWhoseLabelsNoLongerMatchLosesTheAllApp() {
    hello("web-1");
    views.apply(StoreTest.spec("site", Map.of(), PlacementSpec.newBuilder().putAllLabels(WEB).setAll(true).build()));
    assertEquals(List.of("web-1"), holders("site"));
    store.hosts().register(Hello.newBuilder().setHost("web-1").putLabels("role", "db").build(), "session-2");
    assertTrue(holders("site").isEmpty(), "relabelled away from the selector");
  }
}
