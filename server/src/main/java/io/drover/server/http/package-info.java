/**
 * The server's HTTP port: {@code /healthz} and {@code /metrics} (Prometheus).
 *
 * <p>Uses no other server package: it is given what to check and what to scrape.
 */
package io.drover.server.http;
