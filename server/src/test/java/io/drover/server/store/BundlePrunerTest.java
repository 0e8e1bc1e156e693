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

/**
 * Bundle pruning on PostgreSQL: a bundle goes only when no app refers to it through its last N
 * revisions, its current revision or a revision a host runs, and once it is older than the upload
 * grace; a bundle two apps share stays while either refers to it.
 */
class BundlePrunerTest {
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

  private static String digest(int i) {
    return String.format("%064x", i);
  }

  private void revision(String app, int bundle) {
    store.bundles().put(digest(bundle), new byte[] {(byte) bundle});
    views.apply(StoreTest.spec(app, Map.of("V", Integer.toString(bundle)), StoreTest.web(1)).toBuilder()
        .setBundleSha256(digest(bundle)).build());
  }

  @Test
  void keepsWhatAnyAppRefersToAndDeletesTheRestOnceOldEnough() throws Exception {
    store.hosts().register(Hello.newBuilder().setHost("web-1").putLabels("role", "web")
        .setFacts(HostFacts.newBuilder().setCpuCount(2)).build(), "s1");
    for (int i = 1; i <= 5; i++) {
      revision("hello", i); // hello: revisions 1..5 with bundles 1..5; web-1 is assigned revision 1 first
    }
    revision("other", 2); // other refers to bundle 2 too
    store.bundles().put(digest(99), new byte[] {99}); // uploaded, no revision yet
    java.nio.file.Files.createDirectories(dir);
    java.nio.file.Files.write(dir.resolve(digest(1)), new byte[] {1}); // this server's file copy

    BundlePruner pruner = new BundlePruner(db, dir, clock, 2);
    assertEquals(List.of(), pruner.prune(), "nothing is older than the upload grace yet");

    clock.advance(BundlePruner.UPLOAD_GRACE.plusSeconds(1));
    long assigned = views.status("hello").orElseThrow().getInstances(0).getRevision();
    List<String> deleted = pruner.prune();
    java.util.Set<String> expected = new java.util.TreeSet<>(List.of(digest(1), digest(3), digest(99)));
    expected.remove(digest((int) assigned)); // the revision web-1 is assigned keeps its bundle
    assertEquals(expected, new java.util.TreeSet<>(deleted));
    assertTrue(store.bundles().exists(digest(2)), "other's current revision refers to bundle 2");
    assertTrue(store.bundles().exists(digest(4)) && store.bundles().exists(digest(5)), "hello's last 2 revisions");
    assertEquals(!deleted.contains(digest(1)), java.nio.file.Files.exists(dir.resolve(digest(1))),
        "the file copy goes with the bundle");
    assertEquals(List.of(), pruner.prune(), "a second pass finds nothing");
  }
}
