package io.drover.server.rollout;

import java.util.Locale;

/** Where a rollout stands; stored and shown by its lower-case label. */
public enum RolloutState {
  /** Moving hosts to the revision. */
  RUNNING,
  /** Every host runs the revision healthy: it is the app's good revision now. */
  SUCCEEDED,
  /** A host failed and there was nothing to revert to (or auto_revert was off). */
  FAILED,
  /** A host failed and every host went back to the good revision. */
  REVERTED,
  /** A newer revision was applied before this one finished. */
  SUPERSEDED,
  /** The app was deleted before this rollout finished. */
  CANCELLED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RolloutState of(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
