package io.drover.server.control;

import io.drover.server.store.BundlePruner;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Prunes the bundles no app refers to ({@link BundlePruner}) every {@link #EVERY}, on the leader only. */
public final class BundlePruning {
  private static final Logger log = LoggerFactory.getLogger(BundlePruning.class);
  /** How often the leader prunes. */
  public static final Duration EVERY = Duration.ofMinutes(10);

  private BundlePruning() {}

  /** Starts pruning on its own thread; returns what stops it. */
  public static AutoCloseable start(BundlePruner pruner, BooleanSupplier leading) {
    ScheduledExecutorService thread =
        Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("drover-bundle-pruning").daemon().factory());
    thread.scheduleWithFixedDelay(() -> {
      if (!leading.getAsBoolean()) {
        return;
      }
      try {
        List<String> deleted = pruner.prune();
        if (!deleted.isEmpty()) {
          log.info("event=bundles_pruned count={} bundles={}", deleted.size(), deleted);
        }
      } catch (RuntimeException e) {
        log.warn("event=bundle_pruning_failed error=\"{}\"", e.getMessage());
      }
    }, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    return () -> {
      thread.shutdownNow();
      thread.awaitTermination(2, TimeUnit.SECONDS);
    };
  }
}
