/**
 * What the agent measures and streams: the host's CPU, load, memory and disk ({@code
 * HostMetricsSampler}), each app's RSS, CPU, workers and restarts ({@code AppMetricsSampler}, {@code
 * ProcessTree}), the requests nginx answered for it, read from its access log ({@code
 * AccessLogFollower}, {@code AccessLine}, {@code RequestTally}), and the schedule that samples them
 * off the timer, one sample at a time ({@code MetricsSchedule}, the connection's {@code
 * MetricsFeed}). Uses {@code agent.connect}, {@code agent.supervisor}, {@code agent.state}, {@code
 * agent.health} (the checks' User-Agent) and {@code agent.host}.
 */
package io.drover.agent.metrics;
