package io.drover.server.placement;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What placing some apps decided, as the assignment writes to make, app by app. Applying it is the
 * store's job; {@code drover plan} reads it without applying it.
 */
public record PlacementDecision(List<AppPlacement> apps) {
  public PlacementDecision {
    apps = List.copyOf(apps);
  }

  /** The hosts whose assignments change, across every app. */
  public Set<String> changedHosts() {
    Set<String> hosts = new TreeSet<>();
    apps.forEach(a -> hosts.addAll(a.changedHosts()));
    return hosts;
  }

  /**
   * One app's placement.
   *
   * @param revision the app's current revision: the one new rows get
   * @param chosen the hosts placement chose, sorted by name
   * @param writes the row writes, sorted by host
   * @param holds drained hosts not chosen that keep their instance for now
   */
  public record AppPlacement(String app, long revision, List<String> chosen, List<Write> writes, List<Hold> holds) {
    public AppPlacement {
      chosen = List.copyOf(chosen);
      writes = List.copyOf(writes);
      holds = List.copyOf(holds);
    }

    public Set<String> changedHosts() {
      Set<String> hosts = new TreeSet<>();
      writes.forEach(w -> hosts.add(w.host()));
      return hosts;
    }
  }

  /** A write to one host's row of the app. */
  public sealed interface Write {
    String host();

    /** A new row at the app's revision: the host gets the app. */
    record Insert(String host) implements Write {}

    /**
     * An existing row made desired again, keeping its revision, or with {@code atRevision} moved to
     * the app's revision at once (the host never ran the app, so nothing is replaced).
     */
    record Desire(String host, boolean atRevision) implements Write {}

    /** The row no longer desired: the host's agent removes the app. */
    record Undesire(String host) implements Write {}
  }

  /**
   * A drained host that was not chosen but keeps its instance of a {@code count} app for now, so the
   * app never runs on fewer hosts during a drain.
   *
   * @param untilHealthy true when every host placement wants is chosen and the hold ends once they
   *     all run healthy; false when too few hosts can take the app, so the hold lasts until more can
   */
  public record Hold(String host, boolean untilHealthy) {}
}
