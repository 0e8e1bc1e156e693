package io.drover.server.agents;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Admission control for database work many agents can ask for at once (registrations, bundle
 * reads, download authorizations the server cannot answer from memory): at most {@code permits} run
 * together, the
 * rest wait their turn in arrival order. A storm queues on this server instead of draining the
 * connection pool and failing calls with "the database is unreachable". Callers run on virtual
 * threads, so a waiting call costs no platform thread.
 */
final class Admission {
  private final Semaphore permits;

  Admission(int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("admission permits must be at least 1, got " + permits);
    }
    this.permits = new Semaphore(permits, true);
  }

  /** Runs {@code work} once a permit is free. */
  <T> T call(Supplier<T> work) {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a database turn", e);
    }
    try {
      return work.get();
    } finally {
      permits.release();
    }
  }
}
