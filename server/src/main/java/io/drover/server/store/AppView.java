package io.drover.server.store;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * What an app looks like on its hosts.
 *
 * @param exists false once the app was deleted; instances then lists what is still being removed
 * @param desired how many hosts the placement asks for (for {@code all}: the matching hosts); 0 once
 *     deleted
 * @param shortfall set when fewer hosts match than the placement asks for
 * @param instances every row of the app, sorted by host
 * @param rollout the app's latest rollout, when it had one
 */
public record AppView(String app, long revision, boolean exists, int desired, String shortfall,
    List<Instance> instances, Optional<RolloutView> rollout) {
  public AppView {
    instances = List.copyOf(instances);
  }

  /**
   * The app on one host.
   *
   * @param revision the revision its agent reports, else the one it is assigned
   * @param state pending, starting, running, failed, or removing once no longer desired
   */
  public record Instance(String host, long revision, String state, boolean healthy, String reason,
      List<String> logTail, OffsetDateTime updatedAt, List<Process> processes) {
    public Instance {
      logTail = List.copyOf(logTail);
      processes = List.copyOf(processes);
    }
  }

  /** One of the spec's processes on a host, as its agent last reported it: copies running of those wanted. */
  public record Process(String name, int running, int wanted, List<String> otherStates) {
    public Process {
      otherStates = otherStates == null ? List.of() : List.copyOf(otherStates);
    }
  }
}
