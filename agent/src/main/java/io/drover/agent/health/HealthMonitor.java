package io.drover.agent.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes each running instance's health path directly on its port, every time {@link #probeAll()}
 * runs (the agent schedules it every few seconds), and publishes only changes of the healthy flag.
 */
public final class HealthMonitor {
  private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  /** What to probe for one app. */
  public record Target(String app, long revision, int port, String path) {}

  /** Told when an app's healthy flag flips. */
  @FunctionalInterface
  public interface Listener {
    void healthChanged(Target target, boolean healthy, String reason);
  }

  private final Map<String, Watched> watched = new ConcurrentHashMap<>();
  private final Listener listener;

  private record Watched(Target target, ProbeState state) {}

  public HealthMonitor(Listener listener) {
    this.listener = listener;
  }

  /** Starts (or restarts) watching the app at the given target, as healthy. */
  public void watch(Target target) {
    watched.put(target.app(), new Watched(target, ProbeState.healthyNow()));
  }

  public void unwatch(String app) {
    watched.remove(app);
  }

  public boolean watching(String app) {
    return watched.containsKey(app);
  }

  /** Whether the app counts as healthy now; true for apps not watched. */
  public boolean healthy(String app) {
    Watched w = watched.get(app);
    return w == null || w.state().healthy();
  }

  /** Probes every watched app once; never throws. */
  public void probeAll() {
    for (Watched w : watched.values()) {
      try {
        probe(w);
      } catch (RuntimeException e) {
        log.warn("event=probe_error app={} error={}", w.target().app(), e.toString());
      }
    }
  }

  private void probe(Watched w) {
    Target t = w.target();
    String reason;
    boolean success;
    try {
      HttpProbe.Response r = HttpProbe.get(new InetSocketAddress("127.0.0.1", t.port()), "127.0.0.1", t.path(), TIMEOUT);
      success = r.ok();
      reason = success ? "" : "health check " + t.path() + " answered " + r.status();
    } catch (IOException e) {
      success = false;
      reason = "health check " + t.path() + " failed: " + e.getMessage();
    }
    ProbeState next = w.state().record(success);
    boolean replaced = watched.replace(t.app(), w, new Watched(t, next));
    if (replaced && next.healthy() != w.state().healthy()) {
      log.info("event=health_changed app={} revision={} healthy={} reason=\"{}\"", t.app(), t.revision(), next.healthy(), reason);
      listener.healthChanged(t, next.healthy(), reason);
    } else {
      log.debug("event=probe app={} success={}", t.app(), success);
    }
  }
}
