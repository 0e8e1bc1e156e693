package io.drover.server.control;

import io.drover.server.changes.ChangeNotice;
import io.drover.server.changes.CoalescingWorker;
import io.drover.server.leader.Leadership;
import io.drover.server.store.Fence.FencedException;
import io.drover.server.store.RolloutStore;
import io.drover.server.store.RolloutStore.Advanced;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the running rollouts, on the leader only. It wakes on change notices (an apply, an agent's
 * status report), when this server becomes leader (resuming what PostgreSQL holds), and at the next
 * instant a rollout waits for ({@code min_healthy} passed, a deadline); each wake advances the
 * touched rollouts ({@link RolloutStore#advance}: decide, then write, in one fenced transaction).
 * Wakes merge while a round waits ({@link CoalescingWorker}).
 */
public final class RolloutController implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RolloutController.class);

  private final RolloutStore rollouts;
  private final Leadership leadership;
  private final Clock clock;
  private final CoalescingWorker<Set<String>> worker;

  public RolloutController(RolloutStore rollouts, Leadership leadership, Clock clock) {
    this.rollouts = rollouts;
    this.leadership = leadership;
    this.clock = clock;
    this.worker = new CoalescingWorker<>("drover-rollouts", Set.of(), RolloutController::union, this::round);
  }

  /** A change handler: advances the rollouts of the apps the notice touches, when this server leads. */
  public void onChange(ChangeNotice notice) {
    if (!leadership.isLeader()) {
      return;
    }
    if (notice.allApps()) {
      resumeAll();
    } else if (!notice.apps().isEmpty()) {
      worker.submit(notice.apps());
    }
  }

  /** Advances every running rollout (after an election, and as a periodic backstop). */
  public void resumeAll() {
    if (!leadership.isLeader()) {
      return;
    }
    try {
      worker.submit(Set.copyOf(rollouts.running()));
    } catch (RuntimeException e) {
      log.warn("event=rollout_resume_failed error={}", e.toString());
    }
  }

  /** Queues an advance of {@code app}'s rollout; advances merge while one is waiting. */
  public void wake(String app) {
    worker.submit(Set.of(app));
  }

  private void round(Set<String> apps) {
    for (String app : apps) {
      advance(app);
    }
  }

  private void advance(String app) {
    if (!leadership.isLeader()) {
      return;
    }
    try {
      Optional<Advanced> advanced = rollouts.advance(app, leadership.fence());
      advanced.flatMap(Advanced::wakeAt).ifPresent(at -> wakeAt(app, at));
    } catch (FencedException e) {
      log.warn("event=rollout_write_refused app={} reason=\"{}\"", app, e.getMessage());
    } catch (RuntimeException e) {
      log.warn("event=rollout_advance_failed app={} error={}", app, e.toString(), e);
      wakeAt(app, clock.instant().plusSeconds(1));
    }
  }

  private void wakeAt(String app, Instant at) {
    worker.submitAfter(Set.of(app), Duration.between(clock.instant(), at).plusMillis(1));
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    if (a.isEmpty()) {
      return b;
    }
    Set<String> both = new TreeSet<>(a);
    both.addAll(b);
    return both;
  }

  @Override
  public void close() {
    worker.close();
  }
}
