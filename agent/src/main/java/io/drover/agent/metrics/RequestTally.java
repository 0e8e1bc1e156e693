package io.drover.agent.metrics;

import io.drover.api.v1.RequestCounts;
import io.drover.metrics.RequestBuckets;
import java.util.Arrays;

/** The requests of one app counted since the last {@link #drain()}. Not thread-safe. */
final class RequestTally {
  private final long[] byClass = new long[RequestBuckets.CLASSES];
  private final long[] buckets = new long[RequestBuckets.SIZE];
  private long upstreamErrors;
  private double seconds;

  void add(AccessLine line) {
    byClass[line.status() / 100 - 1]++;
    if (line.status() == 502 || line.status() == 504) {
      upstreamErrors++;
    }
    buckets[RequestBuckets.bucketOf(line.seconds())]++;
    seconds += line.seconds();
  }

  /** The counts so far, then zero. */
  RequestCounts drain() {
    RequestCounts.Builder counts = RequestCounts.newBuilder().setUpstreamErrors(upstreamErrors)
        .setDurationSecondsSum(seconds);
    Arrays.stream(byClass).forEach(counts::addByClass);
    Arrays.stream(buckets).forEach(counts::addDurationBuckets);
    Arrays.fill(byClass, 0);
    Arrays.fill(buckets, 0);
    upstreamErrors = 0;
    seconds = 0;
    return counts.build();
  }
}
