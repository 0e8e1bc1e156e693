package io.drover.server.changes;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs rounds of work on one thread of its own, merging the work submitted while a round waits or
 * runs into the next round: a burst of submissions costs one round, and rounds run in order, so a
 * later round always sees newer state than an earlier one. Work can also be submitted for later (a
 * timer on the same thread).
 *
 * <p>A round that throws is logged and does not stop the worker. {@link #close()} lets a running
 * round finish (for a bounded time) and drops what waits, timers included.
 *
 * @param <T> a unit of work; {@code merge} combines two into one that covers both
 */
public final class CoalescingWorker<T> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CoalescingWorker.class);
  /** How long {@link #close()} waits for a running round. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  private final String name;
  private final T nothing;
  private final BinaryOperator<T> merge;
  private final Consumer<T> round;
  private final ScheduledThreadPoolExecutor thread;
  private T pending;
  private boolean scheduled;

  /**
   * @param name the thread's name, also used in logs
   * @param nothing the empty unit of work (what waits when nothing does)
   * @param merge combines waiting work with newly submitted work
   * @param round does one round of the merged work
   */
  public CoalescingWorker(String name, T nothing, BinaryOperator<T> merge, Consumer<T> round) {
    this.name = Objects.requireNonNull(name, "name");
    this.nothing = Objects.requireNonNull(nothing, "nothing");
    this.merge = Objects.requireNonNull(merge, "merge");
    this.round = Objects.requireNonNull(round, "round");
    this.pending = nothing;
    this.thread = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name(name).daemon().factory());
    this.thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.thread.setRemoveOnCancelPolicy(true);
  }

  /** Merges {@code work} into the next round and makes sure one is coming; returns at once. */
  public void submit(T work) {
    synchronized (this) {
      pending = merge.apply(pending, work);
      if (scheduled || thread.isShutdown()) {
        return;
      }
      scheduled = true;
    }
    try {
      thread.execute(this::run);
    } catch (RejectedExecutionException e) {
      log.debug("event=work_dropped worker={} reason=closing", name);
    }
  }

  /** Submits {@code work} once {@code delay} has passed (dropped if the worker closes first). */
  public void submitAfter(T work, Duration delay) {
    try {
      thread.schedule(() -> submit(work), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("event=timer_dropped worker={} reason=closing", name);
    }
  }

  private void run() {
    T work;
    synchronized (this) {
      work = pending;
      pending = nothing;
      scheduled = false;
    }
    try {
      round.accept(work);
    } catch (RuntimeException e) {
      log.warn("event=round_failed worker={} error={}", name, e.toString(), e);
    }
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
