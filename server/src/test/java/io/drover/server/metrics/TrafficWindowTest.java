package io.drover.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.metrics.RequestBuckets;
import io.drover.server.store.InstanceSample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficWindowTest {
  private static final Instant T0 = Instant.parse("2026-11-30T04:00:00Z");

  /** A sample whose requests all took {@code seconds}: {@code ok} 2xx and {@code failed} 5xx. */
  private static InstanceSample sample(String app, String host, long ok, long failed, double seconds, double cpu) {
    long[] buckets = new long[RequestBuckets.SIZE];
    buckets[RequestBuckets.bucketOf(seconds)] = ok + failed;
    return new InstanceSample(app, host, new long[] {0, ok, 0, 0, failed}, 0, buckets, seconds * (ok + failed), cpu,
        1000, 2, 0);
  }

  @Test
  void ratesArePerSecondOverTheWindowPerAppAndPerHost() {
    TrafficWindow window = new TrafficWindow(Duration.ofSeconds(60));
    window.add(T0, List.of(sample("shop", "web-1", 1000, 10, 0.04, 5), sample("shop", "web-2", 500, 0, 0.04, 3),
        sample("blog", "web-1", 7, 0, 0.2, 1)));
    window.add(T0.plusSeconds(10), List.of(sample("shop", "web-1", 1095, 15, 0.04, 10),
        sample("shop", "web-2", 550, 0, 0.04, 4), sample("blog", "web-1", 7, 0, 0.2, 1)));

    TrafficWindow.Top perApp = window.top("");
    assertEquals(Duration.ofSeconds(10), perApp.span());
    assertEquals(List.of("blog", "shop"), perApp.rows().stream().map(TopRow::app).toList());
    TopRow shop = perApp.rows().get(1);
    assertEquals(2, shop.instances());
    assertEquals(15.0, shop.requestsPerSecond(), 1e-9);
    assertEquals(5.0 / 150, shop.errorRatio(), 1e-9);
    assertEquals(0.6, shop.cpuCores(), 1e-9);
    assertTrue(shop.p50Seconds() > 0.025 && shop.p99Seconds() <= 0.05, shop.toString());
    assertEquals(2000, shop.rssBytes());
    assertEquals(4, shop.workers());
    TopRow blog = perApp.rows().get(0);
    assertEquals(0.0, blog.requestsPerSecond());
    assertTrue(Double.isNaN(blog.errorRatio()), "no request: no ratio");

    List<TopRow> perHost = window.top("shop").rows();
    assertEquals(List.of("web-1", "web-2"), perHost.stream().map(TopRow::host).toList());
    assertEquals(10.0, perHost.get(0).requestsPerSecond(), 1e-9);
    assertEquals(5.0, perHost.get(1).requestsPerSecond(), 1e-9);
  }

  @Test
  void aSingleReadHasNoRatesAndATotalMadeAnewCountsFromZero() {
    TrafficWindow window = new TrafficWindow(Duration.ofSeconds(60));
    window.add(T0, List.of(sample("shop", "web-1", 1000, 0, 0.01, 5)));
    TopRow first = window.top("").rows().getFirst();
    assertTrue(Double.isNaN(first.requestsPerSecond()) && Double.isNaN(first.cpuCores()), first.toString());
    assertEquals(Duration.ZERO, window.top("").span());

    window.add(T0.plusSeconds(20), List.of(sample("shop", "web-1", 40, 0, 0.01, 1),
        sample("shop", "web-3", 100, 0, 0.01, 1)));
    TopRow shop = window.top("").rows().getFirst();
    assertEquals(2.0, shop.requestsPerSecond(), 1e-9, "40 since the row was made anew; web-3 is new: not measured");
    assertEquals(0.05, shop.cpuCores(), 1e-9);
  }

  @Test
  void measuresOverTheWindowAndForgetsWhatIsFarOlder() {
    TrafficWindow window = new TrafficWindow(Duration.ofSeconds(60));
    for (int i = 0; i <= 30; i++) { // one read each 10 s, 10 requests a second
      window.add(T0.plusSeconds(10L * i), List.of(sample("shop", "web-1", 100L * i, 0, 0.01, 0)));
    }
    TrafficWindow.Top top = window.top("");
    assertEquals(Duration.ofSeconds(60), top.span());
    assertEquals(10.0, top.rows().getFirst().requestsPerSecond(), 1e-9);
  }
}
