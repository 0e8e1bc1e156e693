package io.drover.agent.reconcile;

import io.drover.agent.state.RunningInstance;
import io.drover.api.v1.Assignment;

/** One step that brings the host closer to its assignments. */
public sealed interface Action {
  String app();

  /** Start the assignment's revision beside {@code previous} (null: none runs) and switch over. */
  record Deploy(Assignment assignment, RunningInstance previous) implements Action {
    @Override
    public String app() {
      return assignment.getApp();
    }
  }

  /**
   * The running instance already runs the assignment's spec (only the placement changed): it serves
   * the assignment's revision from now on, untouched.
   */
  record Adopt(Assignment assignment, RunningInstance running) implements Action {
    @Override
    public String app() {
      return assignment.getApp();
    }
  }

  /** Remove everything of the app; {@code running} is null when nothing of it runs any more. */
  record Remove(String app, RunningInstance running) implements Action {}
}
