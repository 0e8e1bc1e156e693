package io.drover.agent.reconcile;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times the steps of one deployment and logs each at debug level ({@code event=deploy_step app=...
 * step=... ms=...}), which is how to see where a deployment spends its time.
 */
final class StepTimer {
  private static final Logger log = LoggerFactory.getLogger(StepTimer.class);

  private final String app;
  private final long revision;
  private final long start = System.nanoTime();
  private long last = start;

  StepTimer(String app, long revision) {
    this.app = app;
    this.revision = revision;
  }

  /** Logs the time since the previous step (or the start) under {@code step}. */
  void done(String step) {
    long now = System.nanoTime();
    if (log.isDebugEnabled()) {
      log.debug("event=deploy_step app={} revision={} step={} ms={}", app, revision, step, (now - last) / 1_000_000);
    }
    last = now;
  }

  String app() {
    return app;
  }

  long totalMillis() {
    return (System.nanoTime() - start) / 1_000_000;
  }
}
