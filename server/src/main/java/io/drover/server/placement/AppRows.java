package io.drover.server.placement;

import io.drover.api.v1.AppSpec;
import java.util.List;
import java.util.Objects;

/**
 * One app as placement reads it: its current revision with that revision's spec, and every
 * assignment row it has, desired or not (a row no longer desired stays until its agent reports the
 * app removed).
 *
 * @param spec the current revision's spec; null when the app is deleted
 */
public record AppRows(String app, boolean deleted, long revision, AppSpec spec, List<Row> rows) {
  public AppRows {
    Objects.requireNonNull(app, "app");
    if (!deleted) {
      Objects.requireNonNull(spec, "spec of a live app");
    }
    rows = List.copyOf(rows);
  }

  /**
   * One host's row of the app: the revision it is assigned, whether it is desired, and what its
   * agent last reported ({@code reportedRevision} 0: never reported an instance).
   */
  public record Row(String host, long revision, boolean desired, long reportedRevision, String state,
      boolean healthy) {
    public Row {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(state, "state");
    }

    /** Desired, and reported running and healthy. */
    public boolean runsHealthy() {
      return desired && "running".equals(state) && healthy;
    }

    /** The revision the host runs: the one its agent reported, else the one it is assigned. */
    public long runningRevision() {
      return reportedRevision > 0 ? reportedRevision : revision;
    }
  }
}
