package io.drover.server.changes;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands change notices to the server's handlers on one thread, merging the notices that arrive while
 * a round runs into the next one, so a burst of changes costs one round. Rounds run in order, so a
 * later round always reads newer state than an earlier one.
 */
public final class ChangeDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChangeDispatcher.class);

  private final List<Consumer<ChangeNotice>> handlers;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().name("drover-changes").daemon().factory());
  private ChangeNotice pending = ChangeNotice.NONE;
  private boolean scheduled;

  public ChangeDispatcher(List<Consumer<ChangeNotice>> handlers) {
    this.handlers = List.copyOf(handlers);
  }

  /** Queues a notice; returns at once. */
  public void submit(ChangeNotice notice) {
    if (notice.isEmpty()) {
      return;
    }
    synchronized (this) {
      pending = pending.merge(notice);
      if (scheduled || thread.isShutdown()) {
        return;
      }
      scheduled = true;
    }
    try {
      thread.execute(this::round);
    } catch (RejectedExecutionException e) {
      log.debug("event=change_dropped reason=closing notice={}", notice.payload());
    }
  }

  private void round() {
    ChangeNotice notice;
    synchronized (this) {
      notice = pending;
      pending = ChangeNotice.NONE;
      scheduled = false;
    }
    log.debug("event=changes hosts={} apps={}", notice.allHosts() ? "*" : notice.hosts(),
        notice.allApps() ? "*" : notice.apps());
    for (Consumer<ChangeNotice> handler : handlers) {
      try {
        handler.accept(notice);
      } catch (RuntimeException e) {
        log.warn("event=change_handler_failed notice={} error={}", notice.payload(), e.toString(), e);
      }
    }
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(2, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
