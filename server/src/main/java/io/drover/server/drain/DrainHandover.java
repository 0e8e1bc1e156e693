package io.drover.server.drain;

import io.drover.server.changes.ChangeNotice;
import io.drover.server.leader.Leadership;
import io.drover.server.store.DrainStore;
import io.drover.server.store.Fence.FencedException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets drained hosts go of their instances, on the leader only: when a notice touches an app (its
 * replacements reported), places the app again if it still runs on a drained host; placement drops
 * the drained host once every replacement runs healthy. Rounds run on one thread and merge.
 */
public final class DrainHandover implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DrainHandover.class);

  private final DrainStore drains;
  private final Leadership leadership;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().name("drover-drains").daemon().factory());
  private final Set<String> pending = new HashSet<>();
  private boolean everything;
  private boolean scheduled;

  public DrainHandover(DrainStore drains, Leadership leadership) {
    this.drains = drains;
    this.leadership = leadership;
  }

  /** A change handler: queues a hand-over round for the apps the notice touches, when this server leads. */
  public void onChange(ChangeNotice notice) {
    if (!leadership.isLeader() || notice.apps().isEmpty() && !notice.allApps()) {
      return;
    }
    synchronized (this) {
      everything |= notice.allApps();
      pending.addAll(notice.apps());
      if (scheduled) {
        return;
      }
      scheduled = true;
    }
    submit();
  }

  /** Queues a round over every app (after an election, and as a periodic backstop). */
  public void resumeAll() {
    onChange(ChangeNotice.EVERYTHING);
  }

  private void submit() {
    try {
      thread.execute(this::round);
    } catch (RejectedExecutionException e) {
      log.debug("event=drain_round_dropped reason=closing");
    }
  }

  private void round() {
    Set<String> apps;
    synchronized (this) {
      apps = everything ? null : Set.copyOf(pending);
      pending.clear();
      everything = false;
      scheduled = false;
    }
    if (!leadership.isLeader()) {
      return;
    }
    try {
      drains.handOver(leadership.fence(), apps);
    } catch (FencedException e) {
      log.warn("event=drain_write_refused reason=\"{}\"", e.getMessage());
    } catch (RuntimeException e) {
      log.warn("event=drain_handover_failed apps={} error={}", apps == null ? "*" : apps, e.toString(), e);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
