package io.drover.server.store;

import java.util.Arrays;

/**
 * One app on one host as its agent reports it: the requests nginx answered (by status class 1xx..5xx,
 * those that were 502/504, durations per bucket of {@code io.drover.metrics.RequestBuckets} and
 * their sum), and its Gunicorn's CPU seconds, RSS, workers and restarts. Written as deltas of the
 * request counts (added to the stored totals), read as totals.
 */
public record InstanceSample(
    String app,
    String host,
    long[] requests,
    long upstreamErrors,
    long[] durationBuckets,
    double durationSum,
    double cpuSeconds,
    long rssBytes,
    int workers,
    long restarts) {

  public InstanceSample {
    requests = requests.clone();
    durationBuckets = durationBuckets.clone();
  }

  @Override
  public long[] requests() {
    return requests.clone();
  }

  @Override
  public long[] durationBuckets() {
    return durationBuckets.clone();
  }

  /** This sample's request counts plus {@code later}'s, with {@code later}'s resource figures. */
  public InstanceSample plus(InstanceSample later) {
    return new InstanceSample(app, host, add(requests, later.requests), upstreamErrors + later.upstreamErrors,
        add(durationBuckets, later.durationBuckets), durationSum + later.durationSum, later.cpuSeconds,
        later.rssBytes, later.workers, later.restarts);
  }

  private static long[] add(long[] a, long[] b) {
    long[] sum = Arrays.copyOf(a, Math.max(a.length, b.length));
    for (int i = 0; i < b.length; i++) {
      sum[i] += b[i];
    }
    return sum;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InstanceSample s && app.equals(s.app) && host.equals(s.host)
        && Arrays.equals(requests, s.requests) && upstreamErrors == s.upstreamErrors
        && Arrays.equals(durationBuckets, s.durationBuckets) && durationSum == s.durationSum
        && cpuSeconds == s.cpuSeconds && rssBytes == s.rssBytes && workers == s.workers && restarts == s.restarts;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * app.hashCode() + host.hashCode()) + Arrays.hashCode(requests);
  }

  @Override
  public String toString() {
    return "InstanceSample[app=" + app + ", host=" + host + ", requests=" + Arrays.toString(requests) + "]";
  }
}
