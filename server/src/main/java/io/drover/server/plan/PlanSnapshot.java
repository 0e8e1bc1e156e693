package io.drover.server.plan;

import io.drover.api.v1.AppSpec;
import io.drover.server.placement.AppRows.Row;
import io.drover.server.placement.FleetSlice;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What an apply of {@code spec} would read, read without writing: the same kind of snapshot apply's
 * placement and rollout decide on, so {@code drover plan} can run the same deciders on it.
 *
 * @param spec the spec to apply, secrets sealed
 * @param current the live app's current revision; null for a new (or deleted) app
 * @param changed whether the spec differs from the current revision's (apply would store a new one)
 * @param nextRevision the number apply would give a new revision
 * @param goodRevision the app's last good revision, where its rollout would start from (0: none)
 * @param rows every row of the app, desired or not
 * @param fleet the hosts {@code spec} may run on or the app runs on now, with their load
 * @param specs the spec of every revision a row is assigned or reported, by revision
 * @param now when the snapshot was read
 */
public record PlanSnapshot(AppSpec spec, Current current, boolean changed, long nextRevision, long goodRevision,
    List<Row> rows, FleetSlice fleet, Map<Long, AppSpec> specs, Instant now) {
  public PlanSnapshot {
    rows = List.copyOf(rows);
    specs = Map.copyOf(specs);
  }

  /** The live app's current revision and its spec. */
  public record Current(long revision, AppSpec spec) {}
}
