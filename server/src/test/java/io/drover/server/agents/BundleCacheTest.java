package io.drover.server.agents;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.server.store.Database;
import io.drover.server.store.Store;
import io.drover.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A download storm reads each bundle from PostgreSQL once. */
class BundleCacheTest {
  @TempDir Path dir;
  private TestDatabase testDb;
  private Database db;
  private Store store;
  /** Reads that reached the bundle store's database query. */
  private final AtomicInteger databaseReads = new AtomicInteger();

  @BeforeEach
  void open() {
    testDb = TestDatabase.create();
    db = Database.open(testDb.url(), new SimpleMeterRegistry());
    store = Store.over(db, Clock.systemUTC(), Duration.ofSeconds(10), Duration.ofSeconds(30), dir.resolve("bundles"));
  }

  @AfterEach
  void close() {
    db.close();
    testDb.close();
  }

  private String put(byte[] data) throws Exception {
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    store.bundles().put(sha, data);
    return sha;
  }

  private BundleCache cache() {
    return new BundleCache(sha -> {
      databaseReads.incrementAndGet();
      return store.bundles().file(sha);
    }, new Admission(AgentEndpoint.DOWNLOAD_DATABASE_PERMITS));
  }

  @Test
  void aBundleFiveHundredAgentsAskForAtOnceIsReadFromTheDatabaseOnce() throws Exception {
    byte[] data = new byte[4 * 1024 * 1024];
    new Random(13).nextBytes(data);
    String sha = put(data);
    BundleCache cache = cache();

    CountDownLatch start = new CountDownLatch(1);
    List<Future<Optional<Path>>> downloads = new ArrayList<>();
    try (ExecutorService agents = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 500; i++) {
        downloads.add(agents.submit(() -> {
          start.await();
          return cache.file(sha);
        }));
      }
      start.countDown();
      for (Future<Optional<Path>> d : downloads) {
        Path file = d.get().orElseThrow();
        assertEquals(data.length, Files.size(file));
      }
    }
    assertArrayEquals(data, Files.readAllBytes(downloads.get(0).get().orElseThrow()));
    assertEquals(1, databaseReads.get(), "one read of the bundle for 500 downloads");
    assertEquals(1, cache.storeReads());
  }

  @Test
  void manyBundlesAtOnceQueueForTheDatabaseAndAllArrive() throws Exception {
    List<String> shas = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      shas.add(put(("bundle " + i).getBytes()));
    }
    BundleCache cache = cache();
    List<Future<Optional<Path>>> downloads = new ArrayList<>();
    try (ExecutorService agents = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 400; i++) {
        String sha = shas.get(i % shas.size());
        downloads.add(agents.submit(() -> cache.file(sha)));
      }
      for (Future<Optional<Path>> d : downloads) {
        assertTrue(d.get().isPresent(), "every download finds its bundle");
      }
    }
    assertEquals(20, databaseReads.get(), "one read per bundle");
  }

  @Test
  void anUnknownBundleIsEmpty() {
    assertEquals(Optional.empty(), cache().file("0".repeat(64)));
  }
}
