package io.drover.agent.health;

import io.drover.spec.SpecRules;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes each running instance's health path directly on its port and publishes only changes of
 * its healthy flag, as kubelet's prober does: each {@link #probeAll()} (the agent's timer calls it
 * every second) starts one probe per app whose {@code health.interval} has passed since its last,
 * on the probe executor, so apps are probed in parallel, and never a second one for an app whose
 * previous probe is still under way, so a hung app holds one probe at most. A probe has its {@code
 * health.timeout} to answer; one still under way after that counts as a failure at every interval
 * until it returns (its late answer is dropped). A probe that throws counts as a failure. The flag
 * flips per {@link ProbeState}: after {@code health.failures} consecutive failures, back after one
 * success.
 */
public final class HealthMonitor {
  private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);
  /** How long one probe may take before it counts as failed, when the spec does not say. */
  public static final Duration TIMEOUT = SpecRules.DEFAULT_HEALTH_TIMEOUT;

  /**
   * What to probe for one app, and how (the spec's {@code health.interval}, {@code timeout}, {@code
   * failures}).
   */
  public record Target(String app, long revision, int port, String path, Duration interval, Duration timeout, int failures) {
    /** A target probed with the defaults: every 5s, 2s to answer, unhealthy after 3 failures. */
    public Target(String app, long revision, int port, String path) {
      this(app, revision, port, path, SpecRules.DEFAULT_HEALTH_INTERVAL, TIMEOUT, ProbeState.FAILURE_THRESHOLD);
    }
  }

  /** Told when an app's healthy flag flips; must not block. */
  @FunctionalInterface
  public interface Listener {
    void healthChanged(Target target, boolean healthy, String reason);
  }

  /** One probe of a target; it may block for up to its timeout, and may throw. */
  @FunctionalInterface
  public interface Probe {
    Outcome check(Target target, Duration timeout) throws Exception;
  }

  /** What one probe found: success, or a failure and why. */
  public record Outcome(boolean success, String reason) {
    static final Outcome SUCCESS = new Outcome(true, "");

    static Outcome failure(String reason) {
      return new Outcome(false, reason);
    }
  }

  private final Map<String, Worker> workers = new ConcurrentHashMap<>();
  private final Listener listener;
  private final Probe probe;
  private final Executor probes;
  private final Clock clock;

  /** Probes over HTTP, each probe on its own thread from {@code probes} (e.g. a new virtual thread for each). */
  public HealthMonitor(Listener listener, Executor probes, Clock clock) {
    this(listener, HealthMonitor::http, probes, clock);
  }

  HealthMonitor(Listener listener, Probe probe, Executor probes, Clock clock) {
    this.listener = listener;
    this.probe = probe;
    this.probes = probes;
    this.clock = clock;
  }

  /** Starts (or restarts) watching the app at the given target, as healthy. */
  public void watch(Target target) {
    workers.put(target.app(), new Worker(target));
  }

  public void unwatch(String app) {
    workers.remove(app);
  }

  public boolean watching(String app) {
    return workers.containsKey(app);
  }

  /** Whether the app counts as healthy now; true for apps not watched. */
  public boolean healthy(String app) {
    Worker w = workers.get(app);
    return w == null || w.healthy();
  }

  /** Whether a probe of the app is under way. */
  boolean probing(String app) {
    Worker w = workers.get(app);
    return w != null && w.probing();
  }

  /** Starts a probe of every watched app that has none under way; returns at once and never throws. */
  public void probeAll() {
    for (Worker w : workers.values()) {
      try {
        w.tick();
      } catch (RuntimeException e) {
        log.warn("event=probe_error app={} error={}", w.target.app(), e.toString());
      }
    }
  }

  /** The HTTP probe: a GET of the health path on the instance's port, 2xx is a success. */
  static Outcome http(Target t, Duration timeout) {
    try {
      HttpProbe.Response r = HttpProbe.get(new InetSocketAddress("127.0.0.1", t.port()), "127.0.0.1", t.path(), timeout);
      return r.ok() ? Outcome.SUCCESS : Outcome.failure("health check " + t.path() + " answered " + r.status());
    } catch (IOException e) {
      return Outcome.failure("health check " + t.path() + " failed: " + e.getMessage());
    }
  }

  /** One watched app: its probe state and the probe under way, if any. */
  private final class Worker {
    final Target target;
    private ProbeState state = ProbeState.healthyNow();
    /** When the probe under way started; null when none is. */
    private Instant since;
    /** Whether the probe under way was already counted as failed for taking too long. */
    private boolean overdue;
    /** When the next probe is due (or a probe under way too long counts as failed again); null: now. */
    private Instant next;

    Worker(Target target) {
      this.target = target;
    }

    synchronized boolean healthy() {
      return state.healthy();
    }

    synchronized boolean probing() {
      return since != null;
    }

    void tick() {
      Instant now = clock.instant();
      Duration timeout = target.timeout();
      synchronized (this) {
        if (next != null && now.isBefore(next)) {
          return;
        }
        next = now.plus(target.interval());
        if (since == null) {
          since = now;
          overdue = false;
        } else if (Duration.between(since, now).compareTo(timeout) > 0) {
          overdue = true;
          record(Outcome.failure("health check " + target.path() + " did not answer within " + timeout.toMillis() + " ms"));
          return;
        } else {
          return; // under way, still in its time
        }
      }
      try {
        probes.execute(this::probe);
      } catch (RejectedExecutionException e) {
        synchronized (this) {
          since = null; // the agent is stopping
        }
      }
    }

    private void probe() {
      Outcome outcome;
      try {
        outcome = probe.check(target, target.timeout());
      } catch (Exception e) {
        outcome = Outcome.failure("health check " + target.path() + " failed: " + e);
      }
      synchronized (this) {
        if (overdue) {
          log.debug("event=probe_late app={} success={}", target.app(), outcome.success());
        } else {
          record(outcome);
        }
        since = null;
      }
    }

    /** Records one result and tells the listener when the flag flipped (under the lock: in order). */
    private synchronized void record(Outcome outcome) {
      boolean was = state.healthy();
      state = state.record(outcome.success(), target.failures());
      if (workers.get(target.app()) != this) {
        return; // no longer watched, or watched anew
      }
      if (state.healthy() == was) {
        log.debug("event=probe app={} success={}", target.app(), outcome.success());
        return;
      }
      log.info("event=health_changed app={} revision={} healthy={} reason=\"{}\"", target.app(), target.revision(),
          state.healthy(), outcome.reason());
      try {
        listener.healthChanged(target, state.healthy(), outcome.reason());
      } catch (RuntimeException e) {
        log.warn("event=health_report_failed app={} error={}", target.app(), e.toString());
      }
    }
  }
}
