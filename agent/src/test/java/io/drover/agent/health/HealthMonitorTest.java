package io.drover.agent.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.testing.Await;
import io.drover.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The monitor's scheduling with probes the test controls, on real virtual threads: one probe per app
 * at a time, apps in parallel, a hung probe bounded and counted as failed, exceptions counted as
 * failures, and flips reported once.
 */
class HealthMonitorTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Duration PERIOD = Duration.ofSeconds(5);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T00:00:00Z"));
  private final ExecutorService probes = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("probe-", 0).factory());
  private final List<String> changes = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> started = new ConcurrentHashMap<>();

  @AfterEach
  void stopProbes() {
    probes.shutdownNow();
  }

  private HealthMonitor monitor(HealthMonitor.Probe probe) {
    HealthMonitor.Probe counted = (target, timeout) -> {
      started.computeIfAbsent(target.app(), a -> new AtomicInteger()).incrementAndGet();
      return probe.check(target, timeout);
    };
    return new HealthMonitor((t, healthy, reason) -> changes.add(t.app() + " healthy=" + healthy + " " + reason),
        counted, probes, clock);
  }

  private static HealthMonitor.Target target(String app) {
    return new HealthMonitor.Target(app, 1, 1, "/healthz");
  }

  private int started(String app) {
    AtomicInteger n = started.get(app);
    return n == null ? 0 : n.get();
  }

  /** One period: every app's probe started, and each that can finish has finished. */
  private void period(HealthMonitor m, String... finishing) {
    m.probeAll();
    for (String app : finishing) {
      Await.until(WAIT, app + "'s probe to finish", () -> !m.probing(app));
    }
    clock.advance(PERIOD);
  }

  @Test
  void aHungProbeIsNeverJoinedByAnotherWhileTheOtherAppsAreProbedAndItCountsAsFailedUntilItReturns()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    HealthMonitor m = monitor((t, timeout) -> {
      if (t.app().equals("stuck")) {
        release.await();
      }
      return HealthMonitor.Outcome.SUCCESS;
    });
    m.watch(target("stuck"));
    m.watch(target("fine"));

    for (int i = 1; i <= 6; i++) {
      period(m, "fine");
      assertEquals(i, started("fine"), "the fine app is probed every period");
    }

    assertEquals(1, started("stuck"), "probes of the hung app");
    assertTrue(m.probing("stuck"));
    assertFalse(m.healthy("stuck"));
    assertTrue(m.healthy("fine"));
    assertEquals(List.of("stuck healthy=false health check /healthz did not answer within 2000 ms"), changes);

    // the hung probe returns at last: its late success is dropped, the next probe's counts
    release.countDown();
    Await.until(WAIT, "the hung probe to return", () -> !m.probing("stuck"));
    assertFalse(m.healthy("stuck"));
    period(m, "stuck", "fine");
    assertEquals(2, started("stuck"));
    assertTrue(m.healthy("stuck"));
    assertEquals("stuck healthy=true ", changes.getLast());
  }

  @Test
  void aProbeThatThrowsIsAFailureAndTheFlagFlipsOnlyAfterThreeInARow() {
    AtomicInteger calls = new AtomicInteger();
    // failure, failure, success, then failures
    HealthMonitor m = monitor((t, timeout) -> {
      int n = calls.incrementAndGet();
      if (n == 3) {
        return HealthMonitor.Outcome.SUCCESS;
      }
      throw new IllegalStateException("probe " + n + " broke");
    });
    m.watch(target("app"));

    for (int i = 1; i <= 5; i++) {
      period(m, "app");
      assertTrue(m.healthy("app"), "healthy after probe " + i);
    }
    period(m, "app");
    assertFalse(m.healthy("app"));
    assertEquals(List.of("app healthy=false health check /healthz failed: java.lang.IllegalStateException: probe 6 broke"),
        changes);
    period(m, "app");
    assertEquals(1, changes.size(), "a flag that stays put is not reported again");
  }

  @Test
  void aProbeOfAnAppWatchedAnewDoesNotCountForIt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    HealthMonitor m = monitor((t, timeout) -> {
      release.await();
      return HealthMonitor.Outcome.failure("down");
    });
    m.watch(target("app"));
    for (int i = 0; i < 4; i++) {
      period(m);
    }
    assertEquals(List.of("app healthy=false health check /healthz did not answer within 2000 ms"), changes);

    m.watch(target("app")); // a new revision deployed: healthy by its deployment's checks
    assertTrue(m.healthy("app"));
    release.countDown();
    m.probeAll();
    Await.until(WAIT, "the new worker's first probe", () -> started("app") == 2 && !m.probing("app"));
    assertTrue(m.healthy("app"), "one failure does not flip");
    assertEquals(1, changes.size());
  }
}
