package io.drover.agent;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The agent's threads, made once at start and handed to the parts that use them; the package
 * overview says which work runs where and why.
 */
final class AgentThreads implements AutoCloseable {
  /** Heartbeats and reconnects of the stream, nothing else: one platform thread no other work can hold up. */
  final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "drover-heartbeat");
    t.setDaemon(true);
    return t;
  });
  /** Periodic ticks that only hand work to other threads: health probes, metrics samples, certificate renewal. */
  final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("drover-timer").factory());
  /** The reconcile thread: deployments and removals, one at a time. */
  final ExecutorService reconcile =
      Executors.newSingleThreadExecutor(Thread.ofVirtual().name("drover-reconcile").factory());
  /** One virtual thread per health probe. */
  final ExecutorService probes = perTask("drover-probe-");
  /** One virtual thread per metrics sample. */
  final ExecutorService sampling = perTask("drover-metrics-");
  /** One virtual thread per certificate renewal. */
  final ExecutorService renewals = perTask("drover-renewal-");

  private static ExecutorService perTask(String prefix) {
    return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(prefix, 0).factory());
  }

  /**
   * Stops the periodic work and interrupts what runs; the reconcile thread is the reconciler's to
   * stop first.
   */
  @Override
  public void close() {
    for (ExecutorService e : List.of(heartbeats, timer, probes, sampling, renewals, reconcile)) {
      e.shutdownNow();
    }
    try {
      heartbeats.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
