package io.drover.server.metrics;

import io.drover.metrics.RequestBuckets;
import io.drover.server.store.InstanceSample;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fleet's request metrics, from the totals in PostgreSQL (the same on every server): {@code
 * drover_app_requests_total{app,host,code}} (code 1xx..5xx) and {@code
 * drover_app_upstream_errors_total{app,host}} per host, and the histogram {@code
 * drover_app_request_duration_seconds{app}} per app across its hosts (per host only counters, so a
 * large fleet stays affordable). Series exist while the app is assigned to the host.
 */
final class RequestCollector implements MultiCollector {
  private static final double[] UPPER_BOUNDS = upperBounds();

  private volatile List<InstanceSample> samples = List.of();

  void show(List<InstanceSample> latest) {
    samples = List.copyOf(latest);
  }

  @Override
  public MetricSnapshots collect() {
    List<InstanceSample> now = samples;
    CounterSnapshot.Builder requests = CounterSnapshot.builder().name("drover_app_requests")
        .help("requests nginx answered for the app on the host, by status class");
    CounterSnapshot.Builder upstream = CounterSnapshot.builder().name("drover_app_upstream_errors")
        .help("requests nginx answered 502 or 504 for the app on the host: the app failed or timed out");
    Map<String, long[]> buckets = new TreeMap<>();
    Map<String, Double> sums = new TreeMap<>();
    for (InstanceSample s : now) {
      long[] byClass = s.requests();
      for (int i = 0; i < byClass.length; i++) {
        requests.dataPoint(CounterDataPointSnapshot.builder()
            .labels(Labels.of("app", s.app(), "code", (i + 1) + "xx", "host", s.host()))
            .value(byClass[i]).build());
      }
      upstream.dataPoint(CounterDataPointSnapshot.builder()
          .labels(Labels.of("app", s.app(), "host", s.host())).value(s.upstreamErrors()).build());
      long[] b = s.durationBuckets();
      long[] total = buckets.computeIfAbsent(s.app(), a -> new long[RequestBuckets.SIZE]);
      for (int i = 0; i < Math.min(b.length, total.length); i++) {
        total[i] += b[i];
      }
      sums.merge(s.app(), s.durationSum(), Double::sum);
    }
    HistogramSnapshot.Builder durations = HistogramSnapshot.builder().name("drover_app_request_duration_seconds")
        .help("time nginx took to answer the app's requests, across its hosts");
    buckets.forEach((app, counts) -> durations.dataPoint(HistogramDataPointSnapshot.builder()
        .labels(Labels.of("app", app))
        .classicHistogramBuckets(ClassicHistogramBuckets.of(UPPER_BOUNDS, counts))
        .sum(sums.get(app))
        .build()));
    return MetricSnapshots.of(requests.build(), upstream.build(), durations.build());
  }

  private static double[] upperBounds() {
    double[] bounds = new double[RequestBuckets.SIZE];
    for (int i = 0; i < RequestBuckets.BOUNDS.size(); i++) {
      bounds[i] = RequestBuckets.BOUNDS.get(i);
    }
    bounds[RequestBuckets.SIZE - 1] = Double.POSITIVE_INFINITY;
    return bounds;
  }
}
