package io.drover.agent.health;

/**
 * Whether an instance counts as healthy, from its probe results: it turns unhealthy after {@value
 * #FAILURE_THRESHOLD} consecutive failures and healthy again after one success (as kubelet's prober).
 * Immutable; {@link #record(boolean)} returns the next state.
 */
public record ProbeState(boolean healthy, int consecutiveFailures) {
  public static final int FAILURE_THRESHOLD = 3;

  /** A freshly deployed instance, healthy by its deployment's checks. */
  public static ProbeState healthyNow() {
    return new ProbeState(true, 0);
  }

  public ProbeState record(boolean success) {
    return record(success, FAILURE_THRESHOLD);
  }

  /** The next state when {@code threshold} consecutive failures make an instance unhealthy. */
  public ProbeState record(boolean success, int threshold) {
    if (success) {
      return new ProbeState(true, 0);
    }
    int failures = consecutiveFailures + 1;
    return new ProbeState(healthy && failures < threshold, failures);
  }
}
