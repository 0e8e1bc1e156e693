/**
 * The agent's link to the servers: its one stream ({@code ServerConnection}: Hello, heartbeats,
 * metrics, statuses, pushed assignments), the channels to each server and failing over between them
 * ({@code ServerChannels}), when to try again ({@code Backoff}, {@code Reconnect}), and the agent's
 * identity (key, enrollment, renewal: {@code AgentIdentity}, {@code CertificateRequest}). Uses
 * {@code agent.host}, the wire API and {@code io.drover.tls}; the metrics it sends come through the
 * {@code MetricsFeed} it defines, so it uses no other package of the agent.
 */
package io.drover.agent.connect;
