package io.drover.server.agents;

import io.drover.server.store.HostStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects heartbeats in memory and writes the last_seen of all hosts heard from in one UPDATE per
 * interval, instead of one per heartbeat.
 */
public final class LastSeenBuffer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LastSeenBuffer.class);

  private final HostStore hosts;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("drover-last-seen").daemon().factory());

  public LastSeenBuffer(HostStore hosts, Duration interval) {
    this.hosts = hosts;
    timer.scheduleWithFixedDelay(this::flush, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  void seen(String host) {
    seen.add(host);
  }

  /** Writes what was collected so far. */
  public void flush() {
    List<String> batch = List.copyOf(seen);
    if (batch.isEmpty()) {
      return;
    }
    seen.removeAll(batch);
    try {
      hosts.touch(batch);
      log.debug("event=last_seen_flushed hosts={}", batch.size());
    } catch (RuntimeException e) {
      log.warn("event=last_seen_flush_failed hosts={} error={}", batch.size(), e.toString());
      seen.addAll(batch);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    flush();
  }
}
