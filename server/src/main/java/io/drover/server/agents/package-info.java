/**
 * The AgentService: each agent's Connect stream ({@link io.drover.server.agents.AgentConnection}:
 * Hello, heartbeats, status reports, metrics), the push of a host's assignments when a change touches
 * it ({@link io.drover.server.agents.AgentSessions}, the only place secrets are opened), heartbeats
 * written in batches, and bundle downloads.
 *
 * <p>May use {@code store}, {@code changes}, {@code secrets}, {@code security} (the caller's
 * identity), {@code metrics} and {@code rpc}; maps the store's records to the wire API itself.
 */
package io.drover.server.agents;
