/** Health-gated rolling releases: the pure planner and the controller that drives it. */
package io.drover.server.rollout;
