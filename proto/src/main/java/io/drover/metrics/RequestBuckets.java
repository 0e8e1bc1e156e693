package io.drover.metrics;

import java.util.List;

/**
 * The buckets of request durations, the same on the agent (which counts into them) and the server
 * (which exports them as the histogram {@code drover_app_request_duration_seconds}).
 */
public final class RequestBuckets {
  /** Upper bounds in seconds, ascending; a last bucket counts what is above them all. */
  public static final List<Double> BOUNDS =
      List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);

  /** How many buckets a count has: one per bound and one above them all. */
  public static final int SIZE = BOUNDS.size() + 1;

  /** The status classes counted, 1xx to 5xx. */
  public static final int CLASSES = 5;

  private RequestBuckets() {}

  /** The bucket {@code seconds} falls in: the first bound it does not exceed. */
  public static int bucketOf(double seconds) {
    for (int i = 0; i < BOUNDS.size(); i++) {
      if (seconds <= BOUNDS.get(i)) {
        return i;
      }
    }
    return BOUNDS.size();
  }

  /**
   * The {@code q} quantile (0..1) of the counts per bucket, estimated the way Prometheus's {@code
   * histogram_quantile} does: linearly within the bucket it falls in (from 0 for the first bucket);
   * the highest bound when it falls above them all; NaN when nothing was counted.
   */
  public static double quantile(double q, long[] buckets) {
    long total = 0;
    for (long b : buckets) {
      total += b;
    }
    if (total == 0) {
      return Double.NaN;
    }
    double rank = q * total;
    long below = 0;
    for (int i = 0; i < buckets.length; i++) {
      if (below + buckets[i] >= rank && buckets[i] > 0) {
        if (i >= BOUNDS.size()) {
          return BOUNDS.getLast();
        }
        double lower = i == 0 ? 0 : BOUNDS.get(i - 1);
        double upper = BOUNDS.get(i);
        return lower + (upper - lower) * (rank - below) / buckets[i];
      }
      below += buckets[i];
    }
    return BOUNDS.getLast();
  }
}
