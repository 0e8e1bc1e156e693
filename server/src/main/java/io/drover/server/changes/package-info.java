/**
 * How changes travel: {@link io.drover.server.changes.ChangeNotice} (what a transaction changed,
 * sent between servers with PostgreSQL NOTIFY), the listener, the dispatcher that hands notices to
 * the server's handlers, {@link io.drover.server.changes.CoalescingWorker} (the one mechanism that
 * merges pending work and runs rounds on one thread) and {@link
 * io.drover.server.changes.LatestOnlySender} (bounded, latest-wins pushes on a stream).
 *
 * <p>Uses no other server package (jOOQ only to publish a notice in a transaction).
 */
package io.drover.server.changes;
