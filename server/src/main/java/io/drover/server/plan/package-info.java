/**
 * {@code drover plan} in pure code: {@link io.drover.server.plan.AppPlanner} runs apply's deciders
 * (placement, then the rollout apply would start) on the snapshot apply would read ({@link
 * io.drover.server.plan.PlanSnapshot}) without writing, and reads each host's action off their
 * decisions, so plan and apply agree by construction.
 *
 * <p>May use {@code placement} and {@code rollout}; no database and no wire type but {@code
 * AppSpec}.
 */
package io.drover.server.plan;
