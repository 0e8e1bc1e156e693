package io.drover.agent.metrics;

import io.drover.agent.connect.MetricsFeed;
import io.drover.api.v1.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metrics at the interval the server asks for, sampled off the timer: each tick of the timer only
 * starts one sample on its own thread from {@code sampling} (a virtual thread), and is skipped while
 * the previous sample is still under way, so a hung supervisord holds one sample at most. A sample
 * that took longer than the interval is dropped, not sent late.
 */
public final class MetricsSchedule implements MetricsFeed {
  private static final Logger log = LoggerFactory.getLogger(MetricsSchedule.class);
  /** When the first sample is taken after a start. */
  static final Duration FIRST = Duration.ofSeconds(1);

  private final Supplier<Metrics> sample;
  private final ScheduledExecutorService timer;
  private final Executor sampling;
  private final Clock clock;
  private ScheduledFuture<?> ticks;
  /** Counts starts and stops: a sample of an earlier start is not sent. */
  private long generation;
  private boolean underWay;

  /**
   * @param sample takes one sample; may block and may throw
   * @param timer runs the ticks, which return at once
   * @param sampling runs each sample on its own thread
   */
  public MetricsSchedule(Supplier<Metrics> sample, ScheduledExecutorService timer, Executor sampling, Clock clock) {
    this.sample = sample;
    this.timer = timer;
    this.sampling = sampling;
    this.clock = clock;
  }

  @Override
  public synchronized void start(Duration every, Consumer<Metrics> send) {
    stop();
    long started = generation;
    ticks = timer.scheduleWithFixedDelay(() -> tick(started, every, send), FIRST.toMillis(), every.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (ticks != null) {
      ticks.cancel(false);
      ticks = null;
    }
    generation++;
  }

  /** Whether a sample is under way. */
  synchronized boolean sampling() {
    return underWay;
  }

  /** Starts a sample unless one is under way; {@code deadline} is how long it may take to count. */
  synchronized void tick(long of, Duration deadline, Consumer<Metrics> send) {
    if (of != generation) {
      return;
    }
    if (underWay) {
      log.debug("event=metrics_skipped reason=previous_sample_under_way");
      return;
    }
    underWay = true;
    Instant started = clock.instant();
    try {
      sampling.execute(() -> sample(of, started, deadline, send));
    } catch (RejectedExecutionException e) {
      underWay = false; // the agent is stopping
    }
  }

  private void sample(long of, Instant started, Duration deadline, Consumer<Metrics> send) {
    Metrics metrics = null;
    try {
      metrics = sample.get();
    } catch (RuntimeException e) {
      log.warn("event=metrics_failed error=\"{}\"", e.getMessage());
    }
    Duration took = Duration.between(started, clock.instant());
    boolean current;
    synchronized (this) {
      underWay = false;
      current = of == generation;
    }
    if (metrics == null || !current) {
      return;
    }
    if (took.compareTo(deadline) > 0) {
      log.warn("event=metrics_late took_ms={} interval_ms={} reason=\"dropped, not sent late\"", took.toMillis(),
          deadline.toMillis());
      return;
    }
    send.accept(metrics); // outside the lock: the connection calls start and stop under its own
  }
}
