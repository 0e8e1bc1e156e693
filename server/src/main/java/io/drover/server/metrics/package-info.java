/**
 * Prometheus figures: gauges of what this server's agents report per host and app, the whole
 * fleet's state read from PostgreSQL (host up, instances by state, latest rollout), and a count of
 * gRPC calls by method and status.
 *
 * <p>Uses no other server package but the records of {@code store}.
 */
package io.drover.server.metrics;
