package io.drover.agent.gunicorn;

import io.drover.api.v1.AppSpec;
import io.drover.spec.SpecRules;
import java.time.Duration;

/**
 * The spec's Gunicorn settings beyond the bind and worker count ({@code gunicorn.timeout}, {@code
 * graceful_timeout}, {@code worker_class}, {@code threads}, {@code max_requests}), each written as
 * Gunicorn's setting of the same name after {@link GunicornConfig}'s lines, defaults spelled out.
 *
 * @param maxRequests 0: a worker is never restarted for the requests it served
 */
public record GunicornSettings(Duration timeout, Duration gracefulTimeout, String workerClass, int threads, int maxRequests) {
  /**
   * How much longer than {@code graceful_timeout} Supervisor waits for a stopping instance before it
   * kills it: Gunicorn's arbiter gives its workers {@code graceful_timeout} and then needs a moment
   * to reap them and exit.
   */
  public static final Duration STOP_MARGIN = Duration.ofSeconds(10);

  public GunicornSettings {
    if (!SpecRules.WORKER_CLASSES.contains(workerClass)) {
      throw new IllegalArgumentException("gunicorn.worker_class: " + workerClass + " is not one of " + SpecRules.WORKER_CLASSES);
    }
    if (timeout.toSeconds() < 1 || gracefulTimeout.toSeconds() < 1 || threads < 1 || maxRequests < 0) {
      throw new IllegalArgumentException("gunicorn settings out of range: " + this);
    }
  }

  /** The settings of {@code spec}, its defaults where it says nothing. */
  public static GunicornSettings of(AppSpec spec) {
    String workerClass = spec.getGunicorn().getWorkerClass();
    return new GunicornSettings(SpecRules.gunicornTimeout(spec), SpecRules.gracefulTimeout(spec),
        workerClass.isEmpty() ? "sync" : workerClass, Math.max(1, spec.getGunicorn().getThreads()),
        spec.getGunicorn().getMaxRequests());
  }

  /** Supervisor's {@code stopwaitsecs} for the instance: graceful timeout and {@link #STOP_MARGIN}. */
  public int stopWaitSeconds() {
    return (int) gracefulTimeout.plus(STOP_MARGIN).toSeconds();
  }

  /** The lines to append to {@link GunicornConfig#render()}. */
  public String render() {
    return "timeout = " + timeout.toSeconds() + "\n"
        + "graceful_timeout = " + gracefulTimeout.toSeconds() + "\n"
        + "worker_class = " + GunicornConfig.pyString(workerClass) + "\n"
        + "threads = " + threads + "\n"
        + "max_requests = " + maxRequests + "\n";
  }
}
