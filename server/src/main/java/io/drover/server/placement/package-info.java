/**
 * Where apps run, decided in pure code: {@link io.drover.server.placement.Placement} chooses hosts;
 * {@link io.drover.server.placement.PlacementDecider} turns a snapshot ({@link
 * io.drover.server.placement.FleetSlice}, {@link io.drover.server.placement.AppRows}) into the
 * assignment writes ({@link io.drover.server.placement.PlacementDecision}) with the keep-revision,
 * load and drain-hold rules; {@link io.drover.server.placement.StatusSummary} is what a status says
 * of it (desired, shortfall). Snapshots may hold just the part of the fleet the apps at hand need.
 *
 * <p>Uses no other server package, no database and no wire type but the spec model ({@code
 * AppSpec}, {@code PlacementSpec}).
 */
package io.drover.server.placement;
