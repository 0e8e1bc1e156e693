package io.drover.server.agents;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects heartbeats in memory and writes the last_seen of all hosts heard from once per interval
 * (in bounded statements, see {@code HostStore.touch}), instead of one write per heartbeat. A batch
 * that cannot be written is kept for the next try.
 *
 * <p>It also says since when heartbeats have been written without a gap ({@link #writtenSince()}):
 * the liveness sweep counts no silence before that instant, so a flush that failed (the database
 * hiccuped) marks no host down — the hosts were heard, their heartbeats just could not be stored.
 */
public final class LastSeenBuffer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LastSeenBuffer.class);

  /** Where heartbeats are written: host name to stream id, all in one flush. */
  @FunctionalInterface
  public interface Writer {
    /** Writes the heartbeats, returning how many hosts were updated; throws when it could not. */
    int touch(Map<String, String> sessions);
  }

  private final Writer writer;
  private final Clock clock;
  /** Host name to the agent stream (session) its latest heartbeat came on. */
  private final Map<String, String> seen = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("drover-last-seen").daemon().factory());
  /** Start of the current run of successful flushes; null while the last flush failed. */
  private volatile Instant writingSince;

  public LastSeenBuffer(Writer writer, Duration interval, Clock clock) {
    this.writer = writer;
    this.clock = clock;
    this.writingSince = clock.instant();
    timer.scheduleWithFixedDelay(this::flush, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  void seen(String host, String session) {
    seen.put(host, session);
  }

  /** Drops a heartbeat not yet written for {@code host} on {@code session} (its stream ended). */
  void forget(String host, String session) {
    seen.remove(host, session);
  }

  /**
   * Since when every flush succeeded: this server's start, or the first successful flush after the
   * last failed one; now while the last flush failed. Silence before it proves nothing.
   */
  public Instant writtenSince() {
    Instant since = writingSince;
    return since != null ? since : clock.instant();
  }

  /** Writes what was collected so far. */
  public synchronized void flush() {
    Map<String, String> batch = Map.copyOf(seen);
    if (batch.isEmpty()) {
      if (writingSince == null) {
        writingSince = clock.instant();
      }
      return;
    }
    batch.forEach(seen::remove);
    try {
      int updated = writer.touch(batch);
      if (writingSince == null) {
        writingSince = clock.instant();
        log.info("event=last_seen_flush_recovered hosts={}", batch.size());
      }
      log.debug("event=last_seen_flushed hosts={} updated={}", batch.size(), updated);
    } catch (RuntimeException e) {
      writingSince = null;
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
