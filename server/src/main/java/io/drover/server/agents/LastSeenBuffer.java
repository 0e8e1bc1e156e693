package io.drover.server.agents;

import io.drover.server.store.HostStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects heartbeats in memory and writes the last_seen of all hosts heard from in one UPDATE per
 * interval, instead of one per heartbeat. A batch that cannot be written is kept for the next try.
 */
public final class LastSeenBuffer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LastSeenBuffer.class);

  private final HostStore hosts;
  /** Host name to the agent stream (session) its latest heartbeat came on. */
  private final Map<String, String> seen = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("drover-last-seen").daemon().factory());

  public LastSeenBuffer(HostStore hosts, Duration interval) {
    this.hosts = hosts;
    timer.scheduleWithFixedDelay(this::flush, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  void seen(String host, String session) {
    seen.put(host, session);
  }

  /** Drops a heartbeat not yet written for {@code host} on {@code session} (its stream ended). */
  void forget(String host, String session) {
    seen.remove(host, session);
  }

  /** Writes what was collected so far. */
  public void flush() {
    Map<String, String> batch = Map.copyOf(seen);
    if (batch.isEmpty()) {
      return;
    }
    batch.forEach(seen::remove);
    try {
      hosts.touch(batch);
      log.debug("event=last_seen_flushed hosts={}", batch.size());
    } catch (RuntimeException e) {
      log.warn("event=last_seen_flush_failed hosts={} error={}", batch.size(), e.toString());
      batch.forEach(seen::putIfAbsent);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    flush();
  }
}
