package io.drover.server.agents;

import io.drover.api.v1.AppMetrics;
import io.drover.api.v1.Metrics;
import io.drover.api.v1.RequestCounts;
import io.drover.metrics.RequestBuckets;
import io.drover.server.store.InstanceSample;
import io.drover.server.store.SampleStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects what agents report of their apps and writes it in one statement per interval: request
 * counts added up until written, resource figures the latest. A batch that cannot be written is
 * merged back for the next try, so no request is counted twice or lost while the server runs.
 */
public final class SampleBuffer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SampleBuffer.class);

  private final SampleStore samples;
  private final Map<String, InstanceSample> pending = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("drover-samples").daemon().factory());

  public SampleBuffer(SampleStore samples, Duration interval) {
    this.samples = samples;
    timer.scheduleWithFixedDelay(this::flush, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Takes one Metrics message of {@code host}: its instances of one app count as one sample. */
  void add(String host, Metrics metrics) {
    Map<String, InstanceSample> byApp = new HashMap<>();
    for (AppMetrics app : metrics.getAppsList()) {
      byApp.merge(app.getApp(), sampleOf(host, app), SampleBuffer::sameReport);
    }
    byApp.values().forEach(this::put);
  }

  private void put(InstanceSample sample) {
    pending.merge(sample.app() + "\n" + sample.host(), sample, InstanceSample::plus);
  }

  static InstanceSample sampleOf(String host, AppMetrics app) {
    RequestCounts r = app.getRequests();
    long[] byClass = new long[RequestBuckets.CLASSES];
    for (int i = 0; i < Math.min(byClass.length, r.getByClassCount()); i++) {
      byClass[i] = Math.max(0, r.getByClass(i));
    }
    long[] buckets = new long[RequestBuckets.SIZE];
    for (int i = 0; i < Math.min(buckets.length, r.getDurationBucketsCount()); i++) {
      buckets[i] = Math.max(0, r.getDurationBuckets(i));
    }
    return new InstanceSample(app.getApp(), host, byClass, Math.max(0, r.getUpstreamErrors()), buckets,
        Math.max(0, r.getDurationSecondsSum()), app.getCpuSeconds(), app.getRssBytes(), app.getWorkers(),
        app.getRestarts());
  }

  /** Two instances of one app in one report (a release replacing another): requests and resources add up. */
  private static InstanceSample sameReport(InstanceSample a, InstanceSample b) {
    InstanceSample counts = a.plus(b);
    return new InstanceSample(a.app(), a.host(), counts.requests(), counts.upstreamErrors(), counts.durationBuckets(),
        counts.durationSum(), a.cpuSeconds() + b.cpuSeconds(), a.rssBytes() + b.rssBytes(),
        a.workers() + b.workers(), a.restarts() + b.restarts());
  }

  /** Writes what was collected so far. */
  public void flush() {
    List<String> keys = List.copyOf(pending.keySet());
    if (keys.isEmpty()) {
      return;
    }
    Map<String, InstanceSample> batch = new HashMap<>();
    keys.forEach(k -> {
      InstanceSample s = pending.remove(k);
      if (s != null) {
        batch.put(k, s);
      }
    });
    try {
      samples.add(batch.values());
      log.debug("event=samples_flushed instances={}", batch.size());
    } catch (RuntimeException e) {
      log.warn("event=samples_flush_failed instances={} error={}", batch.size(), e.toString());
      // merged back in front of what arrived meanwhile: counts add up, the newer figures win
      batch.forEach((k, s) -> pending.merge(k, s, (newer, older) -> older.plus(newer)));
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    flush();
  }
}
