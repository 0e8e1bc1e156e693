/**
 * The loops only the leader runs, each a {@link io.drover.server.changes.CoalescingWorker} woken by
 * change notices: {@link io.drover.server.control.RolloutController} advances running rollouts,
 * {@link io.drover.server.control.DrainHandover} lets drained hosts go of instances whose
 * replacements run healthy. Each round reads, decides and writes through {@code store}, fenced by the
 * leadership.
 *
 * <p>May use {@code store}, {@code leader} and {@code changes}.
 */
package io.drover.server.control;
