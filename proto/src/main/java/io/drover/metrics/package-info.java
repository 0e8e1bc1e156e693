/**
 * What the agent and the server agree on about request metrics: the duration buckets
 * ({@link io.drover.metrics.RequestBuckets}) and how a quantile is read from them.
 *
 * <p>Uses nothing but the JDK.
 */
package io.drover.metrics;
