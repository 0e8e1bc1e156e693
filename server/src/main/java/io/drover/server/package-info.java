/**
 * The Drover server: {@link io.drover.server.DroverServer} wires the packages below into a running
 * server (gRPC and HTTP ports, database, background loops) from a {@link
 * io.drover.server.ServerConfig}.
 *
 * <p>The packages, each using only those listed before it (no package cycle; {@code
 * ArchitectureTest} fails on one):
 *
 * <ol>
 *   <li>{@code changes}, {@code placement}, {@code rollout}, {@code certs}, {@code metrics}, {@code
 *       http}: on their own; {@code placement}, {@code rollout} and {@code certs} are the pure deciders;
 *   <li>{@code plan}: the plan decider, over {@code placement} and {@code rollout};
 *   <li>{@code store}: PostgreSQL, reading snapshots for the deciders and writing their decisions;
 *   <li>{@code leader}, {@code rpc}: the lease, and what every gRPC service shares;
 *   <li>{@code security}, {@code secrets}, {@code history};
 *   <li>{@code control}: the loops only the leader runs;
 *   <li>{@code agents}, {@code operator}: the services agents and operators call.
 * </ol>
 *
 * This package may use all of them; none of them uses it.
 */
package io.drover.server;
