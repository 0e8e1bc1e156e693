package io.drover.server.changes;

import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands change notices to the server's handlers on one thread ({@link CoalescingWorker}), merging
 * the notices that arrive while a round runs into the next one, so a burst of changes costs one
 * round. Rounds run in order, so a later round always reads newer state than an earlier one.
 */
public final class ChangeDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChangeDispatcher.class);

  private final List<Consumer<ChangeNotice>> handlers;
  private final CoalescingWorker<ChangeNotice> worker;

  public ChangeDispatcher(List<Consumer<ChangeNotice>> handlers) {
    this.handlers = List.copyOf(handlers);
    this.worker = new CoalescingWorker<>("drover-changes", ChangeNotice.NONE, ChangeNotice::merge, this::round);
  }

  /** Queues a notice; returns at once. */
  public void submit(ChangeNotice notice) {
    if (!notice.isEmpty()) {
      worker.submit(notice);
    }
  }

  private void round(ChangeNotice notice) {
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
    worker.close();
  }
}
