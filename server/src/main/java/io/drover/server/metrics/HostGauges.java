package io.drover.server.metrics;

import io.drover.api.v1.AppMetrics;
import io.drover.api.v1.HostMetrics;
import io.drover.api.v1.Metrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The latest figures agents stream, as gauges tagged by host (and app). A host's gauges go when it
 * disconnects, an app's when it leaves the host's reports, so the number of meters stays bounded by
 * what is connected.
 */
public final class HostGauges {
  private final MeterRegistry registry;
  private final Map<String, HostFigures> hosts = new ConcurrentHashMap<>();

  public HostGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Takes the figures of one Metrics message from {@code host}. */
  public void update(String host, Metrics metrics) {
    hosts.computeIfAbsent(host, HostFigures::new).update(metrics);
  }

  /** Drops every gauge of {@code host}. */
  public void remove(String host) {
    HostFigures figures = hosts.remove(host);
    if (figures != null) {
      figures.removeAll();
    }
  }

  private final class HostFigures {
    private final String host;
    private final List<Meter> meters = new ArrayList<>();
    private final Map<String, AppFigures> apps = new HashMap<>();
    private volatile HostMetrics latest = HostMetrics.getDefaultInstance();

    HostFigures(String host) {
      this.host = host;
      Tags tags = Tags.of("host", host);
      meters.add(gauge("drover.host.cpu.usage", tags, this, f -> f.latest.getCpuUsage()));
      meters.add(gauge("drover.host.load1", tags, this, f -> f.latest.getLoad1()));
      meters.add(gauge("drover.host.memory.available.bytes", tags, this, f -> f.latest.getMemoryAvailableBytes()));
      meters.add(gauge("drover.host.memory.total.bytes", tags, this, f -> f.latest.getMemoryTotalBytes()));
      meters.add(gauge("drover.host.disk.free.bytes", tags, this, f -> f.latest.getDiskFreeBytes()));
      meters.add(gauge("drover.host.disk.total.bytes", tags, this, f -> f.latest.getDiskTotalBytes()));
    }

    synchronized void update(Metrics metrics) {
      latest = metrics.getHost();
      Set<String> reported = metrics.getAppsList().stream().map(AppMetrics::getApp).collect(Collectors.toSet());
      apps.entrySet().removeIf(e -> {
        if (!reported.contains(e.getKey())) {
          e.getValue().meters.forEach(registry::remove);
          return true;
        }
        return false;
      });
      for (AppMetrics app : metrics.getAppsList()) {
        apps.computeIfAbsent(app.getApp(), a -> new AppFigures(host, a)).latest = app;
      }
    }

    synchronized void removeAll() {
      meters.forEach(registry::remove);
      apps.values().forEach(a -> a.meters.forEach(registry::remove));
      apps.clear();
    }
  }

  private final class AppFigures {
    private final List<Meter> meters = new ArrayList<>();
    private volatile AppMetrics latest = AppMetrics.getDefaultInstance();

    AppFigures(String host, String app) {
      Tags tags = Tags.of("host", host, "app", app);
      meters.add(gauge("drover.app.rss.bytes", tags, this, f -> f.latest.getRssBytes()));
      meters.add(gauge("drover.app.cpu.seconds", tags, this, f -> f.latest.getCpuSeconds()));
      meters.add(gauge("drover.app.restarts", tags, this, f -> f.latest.getRestarts()));
    }
  }

  private <T> Gauge gauge(String name, Tags tags, T holder, ToDoubleFunction<T> value) {
    return Gauge.builder(name, holder, value).tags(tags).strongReference(true).register(registry);
  }
}
