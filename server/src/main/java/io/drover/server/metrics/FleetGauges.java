package io.drover.server.metrics;

import io.drover.server.store.FleetFigures;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.MultiGauge.Row;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole fleet's state as gauges, refreshed from {@link FleetFigures} (read from PostgreSQL), so
 * every server exports the same figures and Prometheus may scrape any one of them: {@code
 * drover_host_up{host}} (0 while a host is down, until it is removed), {@code
 * drover_app_instances{app,state}}, {@code drover_app_instances_healthy{app}} and {@code
 * drover_rollout_state{app,state}} (1 for the state of the app's latest rollout), {@code
 * drover_hosts_by_agent_version{version}}, and the request
 * metrics ({@link RequestCollector}). A row goes when its host or app goes, so the series stay
 * bounded by what exists.
 */
public final class FleetGauges {
  private static final Logger log = LoggerFactory.getLogger(FleetGauges.class);

  private final Supplier<FleetFigures> figures;
  private final MultiGauge hostUp;
  private final MultiGauge instances;
  private final MultiGauge healthy;
  private final MultiGauge rollouts;
  private final MultiGauge agentVersions;
  private final RequestCollector requests = new RequestCollector();
  private final TrafficWindow traffic;
  private final Clock clock;
  private final List<Consumer<FleetFigures>> listeners = new CopyOnWriteArrayList<>();

  public FleetGauges(PrometheusMeterRegistry registry, Supplier<FleetFigures> figures, TrafficWindow traffic,
      Clock clock) {
    this.figures = figures;
    this.traffic = traffic;
    this.clock = clock;
    registry.getPrometheusRegistry().register(requests);
    agentVersions = MultiGauge.builder("drover.hosts.by.agent.version")
        .description("known hosts by the version of their agent").register(registry);
    hostUp = MultiGauge.builder("drover.host.up")
        .description("1 while the host is up, 0 while it is down").register(registry);
    instances = MultiGauge.builder("drover.app.instances")
        .description("desired instances of the app by reported state").register(registry);
    healthy = MultiGauge.builder("drover.app.instances.healthy")
        .description("desired instances of the app reported healthy").register(registry);
    rollouts = MultiGauge.builder("drover.rollout.state")
        .description("1 for the state of the app's latest rollout").register(registry);
  }

  /** Calls {@code listener} with the figures after each read (on the reading thread). */
  public void onRead(Consumer<FleetFigures> listener) {
    listeners.add(listener);
  }

  /** Reads the figures and replaces every row; a failed read keeps the previous figures. */
  public void refresh() {
    FleetFigures now;
    try {
      now = figures.get();
      traffic.add(clock.instant(), now.samples());
    } catch (RuntimeException e) {
      log.warn("event=fleet_figures_failed error={}", e.toString());
      return;
    }
    show(now);
    for (Consumer<FleetFigures> listener : listeners) {
      try {
        listener.accept(now);
      } catch (RuntimeException e) {
        log.warn("event=fleet_figures_listener_failed error={}", e.toString(), e);
      }
    }
  }

  /** Replaces every row with {@code now}'s. */
  void show(FleetFigures now) {
    List<Row<?>> up = new ArrayList<>();
    now.hosts().forEach((host, mark) -> up.add(Row.of(Tags.of("host", host), mark.up() ? 1 : 0)));
    hostUp.register(up, true);
    List<Row<?>> byState = new ArrayList<>();
    for (Map.Entry<String, Map<String, Integer>> app : now.instances().entrySet()) {
      app.getValue().forEach((state, n) -> byState.add(Row.of(Tags.of("app", app.getKey(), "state", state), n)));
    }
    instances.register(byState, true);
    List<Row<?>> healthyRows = new ArrayList<>();
    now.healthy().forEach((app, n) -> healthyRows.add(Row.of(Tags.of("app", app), n)));
    healthy.register(healthyRows, true);
    List<Row<?>> rolloutRows = new ArrayList<>();
    now.lastRollout().forEach((app, r) -> rolloutRows.add(Row.of(Tags.of("app", app, "state", r.state()), 1)));
    rollouts.register(rolloutRows, true);
    requests.show(now.samples());
    List<Row<?>> versionRows = new ArrayList<>();
    now.agentVersions().forEach((version, n) -> versionRows.add(Row.of(Tags.of("version", version), n)));
    agentVersions.register(versionRows, true);
  }
}
