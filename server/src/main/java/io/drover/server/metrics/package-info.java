/**
 * Prometheus figures: gauges of what agents report per host and app, and a count of gRPC calls by
 * method and status.
 *
 * <p>Uses no other server package.
 */
package io.drover.server.metrics;
