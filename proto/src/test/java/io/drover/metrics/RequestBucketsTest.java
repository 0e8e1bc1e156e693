package io.drover.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RequestBucketsTest {

  @Test
  void aDurationFallsInTheFirstBucketWhoseBoundItDoesNotExceed() {
    assertEquals(0, RequestBuckets.bucketOf(0));
    assertEquals(0, RequestBuckets.bucketOf(0.005));
    assertEquals(1, RequestBuckets.bucketOf(0.0051));
    assertEquals(RequestBuckets.BOUNDS.size(), RequestBuckets.bucketOf(60));
  }

  @Test
  void quantilesInterpolateWithinTheirBucket() {
    long[] buckets = new long[RequestBuckets.SIZE];
    buckets[RequestBuckets.bucketOf(0.05)] = 100; // all between 0.025 and 0.05
    assertEquals(0.0375, RequestBuckets.quantile(0.5, buckets), 1e-9);
    assertEquals(0.05, RequestBuckets.quantile(1.0, buckets), 1e-9);
    assertTrue(Double.isNaN(RequestBuckets.quantile(0.5, new long[RequestBuckets.SIZE])));
    long[] slow = new long[RequestBuckets.SIZE];
    slow[RequestBuckets.SIZE - 1] = 3;
    assertEquals(10.0, RequestBuckets.quantile(0.99, slow));
  }

  @Test
  void quantilesAreOrderedAndLieInTheBucketOfTheirRank() {
    Random random = new Random(7);
    for (int round = 0; round < 1000; round++) {
      long[] buckets = new long[RequestBuckets.SIZE];
      for (int i = random.nextInt(200) + 1; i > 0; i--) {
        buckets[RequestBuckets.bucketOf(Math.pow(10, random.nextDouble() * 4 - 3))]++;
      }
      double p50 = RequestBuckets.quantile(0.5, buckets);
      double p99 = RequestBuckets.quantile(0.99, buckets);
      assertTrue(p50 <= p99, p50 + " <= " + p99);
      long total = 0;
      for (long b : buckets) {
        total += b;
      }
      long below = 0;
      for (int i = 0; i < buckets.length; i++) {
        below += buckets[i];
        if (below >= 0.5 * total) {
          double lower = i == 0 ? 0 : RequestBuckets.BOUNDS.get(i - 1);
          double upper = i < RequestBuckets.BOUNDS.size() ? RequestBuckets.BOUNDS.get(i) : RequestBuckets.BOUNDS.getLast();
          assertTrue(p50 >= lower && p50 <= upper, p50 + " in [" + lower + ", " + upper + "]");
          break;
        }
      }
    }
  }
}
