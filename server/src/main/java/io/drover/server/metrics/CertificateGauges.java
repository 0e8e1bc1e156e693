package io.drover.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code drover_certificate_expiry_timestamp_seconds{app}}: when the certificate each app is served
 * with ends, in Unix seconds (alert on {@code drover_certificate_expiry_timestamp_seconds - time() <
 * 14 * 86400}). An app without a certificate has no gauge; an app's gauge goes with its certificate.
 */
public final class CertificateGauges {
  /** The meter's name; Prometheus writes it {@code drover_certificate_expiry_timestamp_seconds}. */
  public static final String NAME = "drover.certificate.expiry.timestamp.seconds";

  private final MeterRegistry registry;
  private final Map<String, Gauge> gauges = new HashMap<>();
  private final Map<String, Double> expiries = new java.util.concurrent.ConcurrentHashMap<>();

  public CertificateGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Sets the gauges to {@code notAfter} per app: one per app in it, none for the others. */
  public synchronized void update(Map<String, Instant> notAfter) {
    gauges.entrySet().removeIf(e -> {
      if (!notAfter.containsKey(e.getKey())) {
        registry.remove(e.getValue());
        expiries.remove(e.getKey());
        return true;
      }
      return false;
    });
    notAfter.forEach((app, at) -> {
      expiries.put(app, (double) at.getEpochSecond());
      gauges.computeIfAbsent(app, a -> Gauge.builder(NAME, expiries, m -> m.getOrDefault(a, Double.NaN))
          .description("when the certificate the app is served with ends, in Unix seconds")
          .tags(Tags.of("app", a))
          .register(registry));
    });
  }
}
