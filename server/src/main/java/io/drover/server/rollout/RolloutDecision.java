package io.drover.server.rollout;

import io.drover.server.rollout.RolloutPlanner.Step;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one advance of a rollout decided, as the writes to make.
 *
 * @param state the rollout's state after the advance (RUNNING: it goes on)
 * @param reason why it failed, naming the host; empty otherwise
 * @param move hosts to move to the rollout's revision now (state back to pending)
 * @param waiting hosts the rollout moves in a later advance (no write now)
 * @param newSteps steps to record
 * @param changedSteps recorded steps whose state changed
 * @param revert hosts to point back at {@code revertTo} (their reported state stays, so a failure
 *     stays visible until their agents report the old revision)
 * @param revertTo the good revision a revert goes back to, which becomes the app's current revision
 *     again; 0 when there is no revert
 * @param good whether the rollout's revision becomes the app's good revision
 * @param wakeAt when to advance again even if nothing is reported (empty: only on reports)
 */
public record RolloutDecision(RolloutState state, String reason, List<String> move, List<String> waiting,
    List<Step> newSteps, List<Step> changedSteps, List<String> revert, long revertTo, boolean good,
    Optional<Instant> wakeAt) {
  public RolloutDecision {
    move = List.copyOf(move);
    waiting = List.copyOf(waiting);
    newSteps = List.copyOf(newSteps);
    changedSteps = List.copyOf(changedSteps);
    revert = List.copyOf(revert);
  }

  /** Nothing to write: the rollout goes on as it is, moving {@code waiting} later. */
  static RolloutDecision unchanged(List<String> waiting, Optional<Instant> wakeAt) {
    return new RolloutDecision(RolloutState.RUNNING, "", List.of(), waiting, List.of(), List.of(), List.of(), 0, false,
        wakeAt);
  }

  /** Ends the rollout without touching a host (superseded, cancelled). */
  static RolloutDecision ended(RolloutState state) {
    return new RolloutDecision(state, "", List.of(), List.of(), List.of(), List.of(), List.of(), 0, false,
        Optional.empty());
  }

  public boolean finished() {
    return state != RolloutState.RUNNING;
  }

  /** Whether there is anything to write. */
  public boolean writes() {
    return finished() || !move.isEmpty() || !newSteps.isEmpty() || !changedSteps.isEmpty();
  }

  /** The hosts whose assignments change. */
  public Set<String> changedHosts() {
    Set<String> hosts = new TreeSet<>(move);
    hosts.addAll(revert);
    return hosts;
  }
}
