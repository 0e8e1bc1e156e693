/**
 * One leader among the servers sharing a database, chosen through a lease row with an epoch; the
 * {@link io.drover.server.store.Fence} a leader-only write checks in its own transaction, so a
 * paused former leader cannot write.
 *
 * <p>May use {@code store} (the database and the fence's contract).
 */
package io.drover.server.leader;
