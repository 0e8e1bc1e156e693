/**
 * The server's state in PostgreSQL (jOOQ over HikariCP, migrated by Flyway; the generated classes
 * are in {@code store.db}). A store reads the snapshot a decider needs (no more of the fleet than the
 * apps at hand), lets the pure decider decide ({@code placement}, {@code rollout}), and writes the
 * decision in one transaction under the placement lock (and the leader's fence where only the leader
 * writes), publishing a {@link io.drover.server.changes.ChangeNotice}. Its public methods return
 * domain records, never wire types (the spec model {@code AppSpec} excepted); endpoints map them.
 *
 * <p>May use {@code placement}, {@code rollout}, {@code plan} (the plan's snapshot record) and
 * {@code changes}.
 */
package io.drover.server.store;
