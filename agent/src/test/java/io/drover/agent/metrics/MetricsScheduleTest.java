package io.drover.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.drover.api.v1.HostMetrics;
import io.drover.api.v1.Metrics;
import io.drover.testing.Await;
import io.drover.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sampling off the timer: one sample at a time, late ones dropped, none after a stop. */
class MetricsScheduleTest {
  private static final Duration EVERY = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T00:00:00Z"));
  private final ManualTimer timer = new ManualTimer();
  private final ExecutorService sampling = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory());
  private final List<Metrics> sent = new CopyOnWriteArrayList<>();
  private final AtomicInteger samples = new AtomicInteger();

  @AfterEach
  void stop() {
    timer.shutdownNow();
    sampling.shutdownNow();
  }

  /** A timer whose ticks the test runs by hand. */
  private static final class ManualTimer extends ScheduledThreadPoolExecutor {
    private volatile Runnable tick;

    ManualTimer() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
      tick = command;
      return super.schedule(() -> { }, 1, TimeUnit.DAYS);
    }

    void tick() {
      tick.run();
    }
  }

  private static Metrics metrics(int n) {
    return Metrics.newBuilder().setHost(HostMetrics.newBuilder().setLoad1(n)).build();
  }

  private void awaitIdle(MetricsSchedule schedule) {
    Await.until(WAIT, "the sample to end", () -> !schedule.sampling());
  }

  @Test
  void ticksWhileASampleIsUnderWayAreSkippedAndASampleLaterThanTheIntervalIsDropped() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    MetricsSchedule schedule = new MetricsSchedule(() -> {
      int n = samples.incrementAndGet();
      if (n == 1) {
        try {
          release.await(); // as a sample waiting for a supervisord that does not answer
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return metrics(n);
    }, timer, sampling, clock);
    schedule.start(EVERY, sent::add);

    timer.tick();
    Await.until(WAIT, "the first sample to start", () -> samples.get() == 1);
    for (int i = 0; i < 5; i++) {
      clock.advance(EVERY);
      timer.tick();
    }
    assertEquals(1, samples.get(), "samples started while the first was under way");

    release.countDown();
    awaitIdle(schedule);
    assertEquals(List.of(), sent, "a sample that took 50 s for a 10 s interval");

    timer.tick();
    awaitIdle(schedule);
    assertEquals(List.of(metrics(2)), sent);
  }

  @Test
  void aFailedSampleSendsNothingAndTheNextTickSamplesAgain() {
    MetricsSchedule schedule = new MetricsSchedule(() -> {
      if (samples.incrementAndGet() == 1) {
        throw new IllegalStateException("supervisord at /x.sock: supervisor.getProcessInfo failed");
      }
      return metrics(2);
    }, timer, sampling, clock);
    schedule.start(EVERY, sent::add);
    timer.tick();
    Await.until(WAIT, "the first sample", () -> samples.get() == 1);
    awaitIdle(schedule);
    timer.tick();
    Await.until(WAIT, "the second sample sent", () -> sent.size() == 1);
    assertEquals(List.of(metrics(2)), sent);
  }

  @Test
  void aSampleUnderWayWhenTheStreamEndsIsNotSent() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    MetricsSchedule schedule = new MetricsSchedule(() -> {
      samples.incrementAndGet();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return metrics(1);
    }, timer, sampling, clock);
    schedule.start(EVERY, sent::add);
    timer.tick();
    Await.until(WAIT, "the sample to start", () -> samples.get() == 1);
    schedule.stop();
    release.countDown();
    awaitIdle(schedule);
    assertEquals(List.of(), sent);
  }
}
