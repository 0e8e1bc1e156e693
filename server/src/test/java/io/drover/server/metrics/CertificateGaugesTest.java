package io.drover.server.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The certificate expiry gauges as Prometheus scrapes them. */
class CertificateGaugesTest {
  @Test
  void oneGaugePerAppWithACertificateNamedAsDocumented() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    CertificateGauges gauges = new CertificateGauges(registry);
    gauges.update(Map.of("shop", Instant.ofEpochSecond(1_800_000_000L), "blog", Instant.ofEpochSecond(1_700_000_000L)));
    String scrape = registry.scrape();
    assertTrue(scrape.contains("drover_certificate_expiry_timestamp_seconds{app=\"shop\"} 1.8E9"), scrape);
    assertTrue(scrape.contains("drover_certificate_expiry_timestamp_seconds{app=\"blog\"} 1.7E9"), scrape);
    gauges.update(Map.of("shop", Instant.ofEpochSecond(1_900_000_000L)));
    scrape = registry.scrape();
    assertTrue(scrape.contains("drover_certificate_expiry_timestamp_seconds{app=\"shop\"} 1.9E9"), scrape);
    assertFalse(scrape.contains("app=\"blog\""), "a gauge goes with its certificate: " + scrape);
  }
}
