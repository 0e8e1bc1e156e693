package io.drover.agent.reconcile;

import io.drover.agent.health.HttpProbe;
import io.drover.agent.supervisor.Supervisor;
import io.drover.spec.DurationText;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for a new instance to answer its health path: on its own port, where Gunicorn exiting over
 * and over ends the wait early, and then through nginx with the app's first domain. Probes often at
 * first, when an answer is most likely to come soon, then less often.
 */
final class StartChecks {
  static final Duration NGINX_HEALTH_DEADLINE = Duration.ofSeconds(10);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
  /** How often Gunicorn may exit and be restarted while the deployment waits for it to answer. */
  private static final int MAX_RESTARTS = 2;
  /** How often supervisord is asked about the program while the deployment waits for it to answer. */
  private static final Duration STATUS_EVERY = Duration.ofMillis(200);

  private final Supervisor supervisor;
  private final InetSocketAddress ingress;
  private final Clock clock;

  StartChecks(Supervisor supervisor, InetSocketAddress ingress, Clock clock) {
    this.supervisor = supervisor;
    this.ingress = ingress;
    this.clock = clock;
  }

  /**
   * Null when the instance answers its health path with 2xx within {@code startTimeout} (the spec's
   * {@code health.start_timeout}); else why not.
   */
  String direct(String program, int port, String path, Duration startTimeout) {
    Instant deadline = clock.instant().plus(startTimeout);
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
    String last = "no answer";
    Instant start = clock.instant();
    Instant nextStatus = start;
    Supervisor.ProgramStatus before = new Supervisor.ProgramStatus("STARTING", 0);
    int restarts = 0;
    while (clock.instant().isBefore(deadline)) {
      try {
        HttpProbe.Response r = HttpProbe.get(address, "127.0.0.1", path, PROBE_TIMEOUT);
        if (r.ok()) {
          return null;
        }
        last = "answered " + r.status();
      } catch (IOException e) {
        last = e.getMessage();
      }
      if (!clock.instant().isBefore(nextStatus)) {
        nextStatus = clock.instant().plus(STATUS_EVERY);
        Supervisor.ProgramStatus now = supervisor.status(program);
        if (now.state().equals("FATAL")) {
          return "gunicorn did not stay up (supervisor: FATAL)";
        }
        if (restarted(before, now) && ++restarts >= MAX_RESTARTS) {
          return "gunicorn keeps exiting: restarted " + restarts + " times without answering " + path;
        }
        before = now;
      }
      pause(start);
    }
    return "health check " + path + " on port " + port + " failed for " + DurationText.format(startTimeout)
        + " (health.start_timeout): " + last;
  }

  /** Null when nginx answers {@code path} for {@code host} with 2xx in time; else why not. */
  String throughNginx(String host, String path) {
    return throughNginx(host, path, ingress, false);
  }

  /** {@link #throughNginx(String, String)} over HTTPS at {@code tlsIngress}: for a site that redirects port 80 there. */
  String throughNginxTls(String host, String path, InetSocketAddress tlsIngress) {
    return throughNginx(host, path, tlsIngress, true);
  }

  private String throughNginx(String host, String path, InetSocketAddress listen, boolean tls) {
    Instant start = clock.instant();
    Instant deadline = start.plus(NGINX_HEALTH_DEADLINE);
    InetSocketAddress address = HttpProbe.reachable(listen);
    String last = "no answer";
    while (clock.instant().isBefore(deadline)) {
      try {
        HttpProbe.Response r = HttpProbe.get(address, host, path, PROBE_TIMEOUT, tls);
        if (r.ok()) {
          return null;
        }
        last = "answered " + r.status();
      } catch (IOException e) {
        last = e.getMessage();
      }
      pause(start);
    }
    return "health check through nginx (" + (tls ? "https://" : "") + host + path + ") failed: " + last;
  }

  /** Whether the program exited between two looks: it left RUNNING, backs off, or runs with a new pid. */
  static boolean restarted(Supervisor.ProgramStatus before, Supervisor.ProgramStatus now) {
    boolean down = now.state().equals("BACKOFF") || now.state().equals("EXITED");
    boolean wasDown = before.state().equals("BACKOFF") || before.state().equals("EXITED");
    return (down && !wasDown)
        || (now.state().equals("STARTING") && before.state().equals("RUNNING"))
        || (now.pid() > 0 && before.pid() > 0 && now.pid() != before.pid());
  }

  /** How long to wait before the next probe of a wait that began {@code elapsed} ago. */
  static Duration probeInterval(Duration elapsed) {
    if (elapsed.compareTo(Duration.ofSeconds(3)) < 0) {
      return Duration.ofMillis(20);
    }
    if (elapsed.compareTo(Duration.ofSeconds(10)) < 0) {
      return Duration.ofMillis(100);
    }
    return Duration.ofMillis(250);
  }

  private void pause(Instant start) {
    LockSupport.parkNanos(probeInterval(Duration.between(start, clock.instant())).toNanos());
    if (Thread.currentThread().isInterrupted()) {
      throw new IllegalStateException("interrupted while waiting for a health check");
    }
  }
}
