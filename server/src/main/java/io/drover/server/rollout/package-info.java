/**
 * Health-gated rolling releases, decided in pure code: {@link io.drover.server.rollout.RolloutPlanner}
 * (a rollout's next moves from its steps and the hosts' reports) and {@link
 * io.drover.server.rollout.RolloutDecider} (a rollout started by apply, and each advance as the writes
 * to make: moves, steps, outcome, revert, the app's good and current revision).
 *
 * <p>Uses no other server package, no database and no wire type but the spec model ({@code
 * UpdateSpec}, read through {@code SpecRules}).
 */
package io.drover.server.rollout;
