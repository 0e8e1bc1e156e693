package io.drover.agent.reconcile;

/**
 * One step of a deployment, as a hook of Nomad's allocation runner: what it does, and how to take that
 * back should a later step fail. A step that throws has left nothing behind (or only inside what an
 * earlier step's undo removes, e.g. a half-made virtualenv inside the release directory).
 *
 * @param name what the step is called in logs ({@code event=deploy_step step=...})
 * @param action does the step; throws when it cannot
 * @param undo takes back what {@code action} did; run at most once, only after {@code action} returned
 */
record Step(String name, Runnable action, Runnable undo) {
  private static final Runnable NOTHING = () -> { };

  /** A step with nothing to take back (it changes nothing, or what it changes stays in any case). */
  static Step of(String name, Runnable action) {
    return new Step(name, action, NOTHING);
  }

  static Step of(String name, Runnable action, Runnable undo) {
    return new Step(name, action, undo);
  }
}
