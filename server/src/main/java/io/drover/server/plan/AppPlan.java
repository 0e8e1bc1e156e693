package io.drover.server.plan;

import java.util.List;
import java.util.Locale;

/**
 * What an apply of a spec would do to each host.
 *
 * @param currentRevision the app's current revision (0: a new app)
 * @param revision the revision the apply would store (the current one when nothing changed)
 * @param changed false when the spec equals the current revision's
 * @param shortfall set when fewer hosts match than the placement asks for
 * @param hosts every host that runs the app now or would run it, sorted by name
 */
public record AppPlan(String app, long currentRevision, long revision, boolean changed, String shortfall,
    List<HostAction> hosts) {
  public AppPlan {
    hosts = List.copyOf(hosts);
  }

  /** What happens on one host, e.g. {@code replace}: "start hello r3 beside r2, then stop r2". */
  public record HostAction(String host, Action action, String description) {}

  public enum Action {
    /** A new instance. */
    START,
    /** The new revision starts beside the old one, then the old one stops. */
    REPLACE,
    /** The app leaves the host. */
    REMOVE,
    /** The running instance stays as it is. */
    KEEP;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
