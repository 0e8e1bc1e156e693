package io.drover.server.agents;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The local copies of bundles agents download, loaded once per bundle however many agents ask at
 * the same time: the first request for a bundle not yet on this server's disk reads it from the
 * store, every concurrent request for it waits for that one read (single flight), and later ones find
 * the file. Reads of different bundles go through {@link Admission}, so a storm of first downloads
 * queues instead of draining the connection pool.
 */
final class BundleCache {
  private final Function<String, Optional<Path>> store;
  private final Admission admission;
  private final Map<String, CompletableFuture<Optional<Path>>> loading = new ConcurrentHashMap<>();
  private final Map<String, Path> files = new ConcurrentHashMap<>();
  private final AtomicLong storeReads = new AtomicLong();

  /**
   * @param store the bundle's local file, read from the database when this server has no copy yet
   *     (empty when the bundle is unknown); {@code BundleStore::file}
   */
  BundleCache(Function<String, Optional<Path>> store, Admission admission) {
    this.store = store;
    this.admission = admission;
  }

  /** The local file of bundle {@code sha256}, empty when the store does not know it. */
  Optional<Path> file(String sha256) {
    Path known = files.get(sha256);
    if (known != null && known.toFile().isFile()) {
      return Optional.of(known);
    }
    CompletableFuture<Optional<Path>> mine = new CompletableFuture<>();
    CompletableFuture<Optional<Path>> running = loading.putIfAbsent(sha256, mine);
    if (running != null) {
      return await(running);
    }
    try {
      storeReads.incrementAndGet();
      Optional<Path> file = admission.call(() -> store.apply(sha256));
      file.ifPresent(f -> files.put(sha256, f));
      mine.complete(file);
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
    } finally {
      loading.remove(sha256, mine);
    }
    return await(mine);
  }

  /** How many times a bundle was asked of the store (at most once per bundle while its copy stays). */
  long storeReads() {
    return storeReads.get();
  }

  private static Optional<Path> await(CompletableFuture<Optional<Path>> load) {
    try {
      return load.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }
}
