package io.drover.server.metrics;

/**
 * One line of {@code drover top}: an app (across its hosts), or an app on one host, over a window.
 * Rates, quantiles and the 5xx ratio are NaN when the window holds no traffic to measure (a single
 * snapshot, or no request).
 *
 * @param host empty for an app across its hosts
 * @param instances the instances reporting
 * @param requestsPerSecond requests nginx answered per second
 * @param p50Seconds median request time
 * @param p99Seconds 99th percentile request time
 * @param errorRatio share of requests answered 5xx, 0..1
 * @param cpuCores Gunicorn's CPU use, in cores (1.0 = one core busy)
 * @param rssBytes Gunicorn's resident memory, master and workers
 * @param workers Gunicorn's worker processes
 * @param restarts how often Gunicorn was restarted since the agent started
 */
public record TopRow(
    String app,
    String host,
    int instances,
    double requestsPerSecond,
    double p50Seconds,
    double p99Seconds,
    double errorRatio,
    double cpuCores,
    long rssBytes,
    int workers,
    long restarts) {}
