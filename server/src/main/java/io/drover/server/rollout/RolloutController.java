package io.drover.server.rollout;

import io.drover.server.changes.ChangeNotice;
import io.drover.server.leader.Leadership;
import io.drover.server.store.Fence.FencedException;
import io.drover.server.store.RolloutStore;
import io.drover.server.store.RolloutStore.Advanced;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the running rollouts, on the leader only. It wakes on change notices (an apply, an agent's
 * status report), when this server becomes leader (resuming what PostgreSQL holds), and at the next
 * instant a rollout waits for ({@code min_healthy} passed, a deadline); each wake plans the touched
 * rollouts with {@link RolloutPlanner} and writes the outcome in one fenced transaction.
 */
public final class RolloutController implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RolloutController.class);

  private final RolloutStore rollouts;
  private final Leadership leadership;
  private final Clock clock;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("drover-rollouts").daemon().factory());
  private final Set<String> pending = new LinkedHashSet<>();
  private boolean scheduled;

  public RolloutController(RolloutStore rollouts, Leadership leadership, Clock clock) {
    this.rollouts = rollouts;
    this.leadership = leadership;
    this.clock = clock;
  }

  /** A change handler: plans the rollouts of the apps the notice touches, when this server leads. */
  public void onChange(ChangeNotice notice) {
    if (!leadership.isLeader()) {
      return;
    }
    if (notice.allApps()) {
      resumeAll();
    } else {
      notice.apps().forEach(this::wake);
    }
  }

  /** Plans every running rollout (after an election, and as a periodic backstop). */
  public void resumeAll() {
    if (!leadership.isLeader()) {
      return;
    }
    try {
      rollouts.running().forEach(this::wake);
    } catch (RuntimeException e) {
      log.warn("event=rollout_resume_failed error={}", e.toString());
    }
  }

  /** Queues a planning round for {@code app}; rounds merge while one is waiting. */
  public void wake(String app) {
    synchronized (this) {
      pending.add(app);
      if (scheduled) {
        return;
      }
      scheduled = true;
    }
    try {
      thread.execute(this::round);
    } catch (RejectedExecutionException e) {
      log.debug("event=rollout_wake_dropped reason=closing app={}", app);
    }
  }

  private void round() {
    List<String> apps;
    synchronized (this) {
      apps = List.copyOf(pending);
      pending.clear();
      scheduled = false;
    }
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
    long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis()) + 1;
    try {
      thread.schedule(() -> wake(app), delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("event=rollout_timer_dropped reason=closing app={}", app);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
