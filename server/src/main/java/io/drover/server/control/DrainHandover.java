package io.drover.server.control;

import io.drover.server.changes.ChangeNotice;
import io.drover.server.changes.CoalescingWorker;
import io.drover.server.leader.Leadership;
import io.drover.server.store.DrainStore;
import io.drover.server.store.Fence.FencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets drained hosts go of their instances, on the leader only: when a notice touches an app (its
 * replacements reported), places the app again if it still runs on a drained host ({@link
 * DrainStore#handOver}); placement's drain hold lets the drained host go once every replacement runs
 * healthy. Rounds run on one thread and merge ({@link CoalescingWorker}).
 */
public final class DrainHandover implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DrainHandover.class);

  private final DrainStore drains;
  private final Leadership leadership;
  private final CoalescingWorker<ChangeNotice> worker;

  public DrainHandover(DrainStore drains, Leadership leadership) {
    this.drains = drains;
    this.leadership = leadership;
    this.worker = new CoalescingWorker<>("drover-drains", ChangeNotice.NONE, ChangeNotice::merge, this::round);
  }

  /** A change handler: queues a hand-over round for the apps the notice touches, when this server leads. */
  public void onChange(ChangeNotice notice) {
    if (!leadership.isLeader() || notice.apps().isEmpty() && !notice.allApps()) {
      return;
    }
    worker.submit(notice);
  }

  /** Queues a round over every app (after an election, and as a periodic backstop). */
  public void resumeAll() {
    onChange(ChangeNotice.EVERYTHING);
  }

  private void round(ChangeNotice notice) {
    if (!leadership.isLeader()) {
      return;
    }
    try {
      drains.handOver(leadership.fence(), notice.allApps() ? null : notice.apps());
    } catch (FencedException e) {
      log.warn("event=drain_write_refused reason=\"{}\"", e.getMessage());
    } catch (RuntimeException e) {
      log.warn("event=drain_handover_failed apps={} error={}", notice.allApps() ? "*" : notice.apps(), e.toString(),
          e);
    }
  }

  @Override
  public void close() {
    worker.close();
  }
}
