package io.drover.server.metrics;

import io.drover.metrics.RequestBuckets;
import io.drover.server.store.InstanceSample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The fleet's samples as read over the last minutes, for {@code drover top}: rates are the change of
 * the totals between the newest read and the one a {@code window} before it (for an instance that
 * appeared since, the first read that has it).
 */
public final class TrafficWindow {
  private final Duration window;
  private final Deque<Snapshot> snapshots = new ArrayDeque<>();

  /** The samples read at one time. */
  public record Snapshot(Instant at, List<InstanceSample> samples) {}

  /** {@code drover top}'s lines, measured over {@code span} (zero: no rates yet). */
  public record Top(Duration span, List<TopRow> rows) {}

  public TrafficWindow(Duration window) {
    this.window = window;
  }

  /** Keeps what was read at {@code at}; drops what is older than twice the window. */
  public synchronized void add(Instant at, List<InstanceSample> samples) {
    snapshots.addLast(new Snapshot(at, List.copyOf(samples)));
    while (snapshots.size() > 2 && snapshots.peekFirst().at().isBefore(at.minus(window.multipliedBy(2)))) {
      snapshots.removeFirst();
    }
  }

  /** {@code drover top}'s lines: one per app, or with {@code app} one per host of that app. */
  public Top top(String app) {
    List<Snapshot> span = new ArrayList<>();
    synchronized (this) {
      if (snapshots.isEmpty()) {
        return new Top(Duration.ZERO, List.of());
      }
      Instant from = snapshots.peekLast().at().minus(window);
      Snapshot before = null;
      for (Snapshot s : snapshots) {
        if (s.at().isAfter(from)) {
          span.add(s);
        } else {
          before = s; // the newest one at least a window old
        }
      }
      if (before != null) {
        span.addFirst(before);
      }
    }
    return new Top(Duration.between(span.getFirst().at(), span.getLast().at()), rows(span, app));
  }

  /**
   * The lines over {@code span} (oldest first; the last is now): per app, or with {@code app}
   * (non-empty) per host of it. Each instance is measured from the oldest read that has it (one that
   * is only in the last read adds no rates); a total lower than before (its row was made anew)
   * counts from zero.
   */
  static List<TopRow> rows(List<Snapshot> span, String app) {
    boolean perHost = app != null && !app.isEmpty();
    Snapshot newer = span.getLast();
    Map<String, InstanceSample> first = new LinkedHashMap<>();
    Map<String, Instant> firstAt = new LinkedHashMap<>();
    for (Snapshot s : span.subList(0, span.size() - 1)) {
      for (InstanceSample sample : s.samples()) {
        if (first.putIfAbsent(sample.app() + "\n" + sample.host(), sample) == null) {
          firstAt.put(sample.app() + "\n" + sample.host(), s.at());
        }
      }
    }
    Function<InstanceSample, String> key = perHost ? InstanceSample::host : InstanceSample::app;
    Map<String, Accumulator> lines = new LinkedHashMap<>();
    for (InstanceSample s : newer.samples()) {
      if (perHost && !s.app().equals(app)) {
        continue;
      }
      Accumulator a = lines.computeIfAbsent(key.apply(s), k -> new Accumulator(s.app(), perHost ? s.host() : ""));
      String instance = s.app() + "\n" + s.host();
      Instant since = firstAt.get(instance);
      a.add(s, first.get(instance), since == null ? 0 : Duration.between(since, newer.at()).toMillis() / 1000.0);
    }
    List<TopRow> rows = new ArrayList<>();
    lines.values().forEach(a -> rows.add(a.row()));
    rows.sort((x, y) -> x.app().equals(y.app()) ? x.host().compareTo(y.host()) : x.app().compareTo(y.app()));
    return rows;
  }

  private static final class Accumulator {
    private final String app;
    private final String host;
    private int instances;
    private long requests;
    private long errors;
    private double requestRate;
    private final long[] buckets = new long[RequestBuckets.SIZE];
    private double cpuCores;
    /** Whether some instance was in the older snapshot too (one that was not adds no rates). */
    private boolean measured;
    private long rss;
    private int workers;
    private long restarts;

    Accumulator(String app, String host) {
      this.app = app;
      this.host = host;
    }

    void add(InstanceSample now, InstanceSample before, double seconds) {
      instances++;
      rss += now.rssBytes();
      workers += now.workers();
      restarts += now.restarts();
      if (before == null || seconds <= 0) {
        return;
      }
      measured = true;
      long requestsBefore = requests;
      long[] n = now.requests();
      long[] b = before.requests();
      for (int i = 0; i < n.length; i++) {
        long d = delta(n[i], i < b.length ? b[i] : 0);
        requests += d;
        if (i == RequestBuckets.CLASSES - 1) {
          errors += d;
        }
      }
      long[] nb = now.durationBuckets();
      long[] bb = before.durationBuckets();
      for (int i = 0; i < Math.min(nb.length, buckets.length); i++) {
        buckets[i] += delta(nb[i], i < bb.length ? bb[i] : 0);
      }
      requestRate += (requests - requestsBefore) / seconds;
      // CPU seconds of a Gunicorn that restarted start over
      cpuCores += (now.cpuSeconds() >= before.cpuSeconds() ? now.cpuSeconds() - before.cpuSeconds() : now.cpuSeconds())
          / seconds;
    }

    private static long delta(long now, long before) {
      return now >= before ? now - before : now;
    }

    TopRow row() {
      double nan = Double.NaN;
      return new TopRow(app, host, instances,
          measured ? requestRate : nan,
          measured ? RequestBuckets.quantile(0.5, buckets) : nan,
          measured ? RequestBuckets.quantile(0.99, buckets) : nan,
          measured && requests > 0 ? (double) errors / requests : nan,
          measured ? cpuCores : nan,
          rss, workers, restarts);
    }
  }
}
