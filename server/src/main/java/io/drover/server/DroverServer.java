package io.drover.server;

import io.drover.api.v1.AppStatus;
import io.drover.api.v1.DrainHostResponse;
import io.drover.api.v1.Rollout;
import io.drover.build.Build;
import io.drover.server.agents.AgentEndpoint;
import io.drover.server.agents.AgentSessions;
import io.drover.server.agents.LastSeenBuffer;
import io.drover.server.agents.SampleBuffer;
import io.drover.server.changes.ChangeDispatcher;
import io.drover.server.changes.ChangeListener;
import io.drover.server.control.BundlePruning;
import io.drover.server.control.DrainHandover;
import io.drover.server.control.RolloutController;
import io.drover.server.http.HttpEndpoint;
import io.drover.server.leader.Leadership;
import io.drover.server.metrics.CallCounter;
import io.drover.server.metrics.FleetGauges;
import io.drover.server.metrics.CertificateGauges;
import io.drover.server.metrics.HostGauges;
import io.drover.server.metrics.TrafficWindow;
import io.drover.server.notify.Notifier;
import io.drover.server.operator.OperatorEndpoint;
import io.drover.server.operator.OperatorViews;
import io.drover.server.operator.StatusWatchers;
import io.drover.server.rpc.ErrorInterceptor;
import io.drover.server.secrets.SecretBox;
import io.drover.server.secrets.SecretsKeyFile;
import io.drover.server.secrets.SpecSecrets;
import io.drover.server.store.BundlePruner;
import io.drover.server.store.Database;
import io.drover.server.store.Store;
import io.drover.server.security.AccessEndpoint;
import io.drover.server.security.AccessPolicy;
import io.drover.server.security.AgentCertificates;
import io.drover.server.security.Authenticator;
import io.drover.server.security.CertificateAuthority;
import io.drover.server.security.EnrollmentEndpoint;
import io.drover.server.security.ServerCredentials;
import io.drover.server.security.ServerTls;
import io.drover.server.security.StrictRequests;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running Drover server: gRPC port, HTTP port, database pool and background loops. */
public final class DroverServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DroverServer.class);
  /** How often the leader looks at every running rollout, in case a notice was missed. */
  private static final Duration ROLLOUT_BACKSTOP = Duration.ofSeconds(30);
  /** What {@code drover top} measures its rates over. */
  private static final Duration TOP_WINDOW = Duration.ofSeconds(60);
  /** The wait after a webhook's first failed delivery, doubled after each next one (capped). */
  private static final Duration NOTIFY_BACKOFF = Duration.ofSeconds(1);
  /** How often the leader looks for deliveries that are due. */
  private static final Duration NOTIFY_POLL = Duration.ofMillis(500);

  private final Server grpc;
  private final HttpEndpoint http;
  private final AgentSessions sessions;
  private final StatusWatchers<AppStatus> watchers;
  private final StatusWatchers<Rollout> rolloutWatchers;
  private final StatusWatchers<DrainHostResponse> drainWatchers;
  private final Leadership leadership;
  /** What to close, most recently opened first. */
  private final Deque<AutoCloseable> resources;
  private boolean closed;

  private DroverServer(Server grpc, HttpEndpoint http, AgentSessions sessions, StatusWatchers<AppStatus> watchers,
      StatusWatchers<Rollout> rolloutWatchers, StatusWatchers<DrainHostResponse> drainWatchers, Leadership leadership,
      Deque<AutoCloseable> resources) {
    this.grpc = grpc;
    this.http = http;
    this.sessions = sessions;
    this.watchers = watchers;
    this.rolloutWatchers = rolloutWatchers;
    this.drainWatchers = drainWatchers;
    this.leadership = leadership;
    this.resources = resources;
  }

  /** Migrates the database, opens both ports and returns once they accept connections. */
  public static DroverServer start(ServerConfig config) {
    Deque<AutoCloseable> resources = new ArrayDeque<>();
    try {
      return start(config, resources);
    } catch (RuntimeException e) {
      closeAll(resources);
      throw e;
    }
  }

  private static DroverServer start(ServerConfig config, Deque<AutoCloseable> resources) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    resources.push(registry::close);
    Database db = Database.open(config.databaseUrl(), registry);
    resources.push(db);
    Store store = Store.over(db, config.clock(), config.heartbeatTtl(), config.downGrace(),
        config.dataDir().resolve("bundles"));

    SecretBox box = new SecretBox(SecretsKeyFile.open(
        config.dataDir().resolve(SecretsKeyFile.NAME), store.apps().storedSecret()));
    SpecSecrets secrets = new SpecSecrets(box);

    Leadership leadership = new Leadership(db, config.clock(), config.leaderLease(), UUID.randomUUID().toString());
    RolloutController rollouts = new RolloutController(store.rollouts(), leadership, config.clock());
    resources.push(rollouts);
    resources.push(leadership);
    leadership.onElected(rollouts::resumeAll);
    DrainHandover drains = new DrainHandover(store.drains(), leadership);
    resources.push(drains);
    leadership.onElected(drains::resumeAll);
    AgentSessions sessions = new AgentSessions(store.assignments(), store.certificates(), secrets);
    StatusWatchers<AppStatus> watchers =
        new StatusWatchers<>(app -> store.apps().status(app).map(OperatorViews::status));
    StatusWatchers<Rollout> rolloutWatchers =
        new StatusWatchers<>(app -> store.rollouts().view(app).map(OperatorViews::rollout));
    StatusWatchers<DrainHostResponse> drainWatchers =
        StatusWatchers.ofDrains(host -> store.drains().progress(host).map(OperatorViews::drain));
    AgentCertificates agentCertificates = new AgentCertificates(store.certificates());
    ChangeDispatcher dispatcher = new ChangeDispatcher(List.of(agentCertificates::onChange, sessions::push,
        watchers::push, rolloutWatchers::push, drainWatchers::push, rollouts::onChange, drains::onChange));
    resources.push(dispatcher);
    resources.push(ChangeListener.start(config.databaseUrl(), dispatcher::submit));
    LastSeenBuffer lastSeen =
        new LastSeenBuffer(store.hosts()::touch, ServerConfig.LAST_SEEN_FLUSH_INTERVAL, config.clock());
    resources.push(lastSeen);
    SampleBuffer samples = new SampleBuffer(store.samples(), ServerConfig.LAST_SEEN_FLUSH_INTERVAL);
    resources.push(samples);
    TrafficWindow traffic = new TrafficWindow(TOP_WINDOW);
    FleetGauges fleet = new FleetGauges(registry, store.figures()::read, traffic, config.clock());
    Notifier notifier = new Notifier(store.notifications(), leadership, box, config.clock(), NOTIFY_BACKOFF, NOTIFY_POLL);
    resources.push(notifier);
    fleet.onRead(notifier::onFigures);
    resources.push(startLeaderLoops(config, leadership, store, lastSeen, rollouts, drains, fleet));
    resources.push(BundlePruning.start(new BundlePruner(db, config.dataDir().resolve("bundles"), config.clock(),
        config.keepRevisions()), leadership::isLeader));
    HostGauges gauges = new HostGauges(registry);
    Gauge.builder("drover.build.info", () -> 1.0).tag("version", Build.version())
        .description("this server's version")
        .register(registry);
    resources.push(startCertificateGauges(store, new CertificateGauges(registry), config.clock()));
    Gauge.builder("drover.agents.connected", sessions, AgentSessions::size)
        .description("agent streams open on this server")
        .register(registry);

    CertificateAuthority ca = ServerCredentials.prepare(config.dataDir(), store.certificates(), store.tokens(),
        config.clock());
    var agents = new AgentEndpoint(
        store, sessions, dispatcher, lastSeen, samples, gauges, config.heartbeatInterval(), config.metricsInterval(),
        config.clock());
    resources.push(agents);
    List<BindableService> services = List.of(
        agents,
        new OperatorEndpoint(store, secrets, watchers, rolloutWatchers, drainWatchers, dispatcher, traffic, box),
        new EnrollmentEndpoint(ca, store.certificates(), config.agentCertificateLifetime(), config.clock()),
        new AccessEndpoint(store, dispatcher, ca.fingerprint()));
    Authenticator authenticator = new Authenticator(
        new AccessPolicy(services.stream().map(s -> s.bindService().getServiceDescriptor()).toList()),
        store.tokens(), agentCertificates, store.audit(), config.clock());
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    resources.push(executor::shutdownNow);
    CallCounter calls = new CallCounter(registry);
    ErrorInterceptor errors = new ErrorInterceptor();
    NettyServerBuilder builder = NettyServerBuilder.forAddress(config.grpcListen())
        .sslContext(ServerTls.context(ca, config.tlsNames()))
        .executor(executor)
        .maxInboundMessageSize(ServerConfig.MAX_INBOUND_MESSAGE_BYTES)
        .permitKeepAliveTime(10, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .keepAliveTime(30, TimeUnit.SECONDS)
        .keepAliveTimeout(10, TimeUnit.SECONDS);
    for (BindableService service : services) {
      // the last interceptor listed runs first: authentication, then counting, then the error mapping
      builder.addService(ServerInterceptors.intercept(StrictRequests.wrap(service.bindService()), errors, calls,
          authenticator));
    }
    Server grpc = builder.build();
    try {
      grpc.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for gRPC on " + config.grpcListen(), e);
    }
    resources.push(() -> stopGrpc(grpc));
    HttpEndpoint http = HttpEndpoint.start(config.httpListen(), db::answers, registry);
    resources.push(http);
    log.info("event=started grpc={}:{} http={}:{} database={}", config.grpcListen().getHostString(), grpc.getPort(),
        config.httpListen().getHostString(), http.port(), Database.redact(config.databaseUrl()));
    return new DroverServer(grpc, http, sessions, watchers, rolloutWatchers, drainWatchers, leadership, resources);
  }

  /**
   * The periodic work: the lease tick (a third of the lease) and the fleet's gauges (each metrics
   * interval), and on the leader the liveness sweep (half the heartbeat TTL) and a backstop pass over
   * running rollouts and drains. The sweep counts silence only since this server leads and since its
   * heartbeats were last written without a gap. Returns what stops them.
   */
  private static AutoCloseable startLeaderLoops(ServerConfig config, Leadership leadership, Store store,
      LastSeenBuffer lastSeen, RolloutController rollouts, DrainHandover drains, FleetGauges fleet) {
    ScheduledExecutorService loops =
        Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("drover-leader").daemon().factory());
    long leaseTick = Math.max(50, config.leaderLease().toMillis() / 3);
    loops.scheduleWithFixedDelay(leadership::tick, 0, leaseTick, TimeUnit.MILLISECONDS);
    loops.scheduleWithFixedDelay(fleet::refresh, 0, config.metricsInterval().toMillis(), TimeUnit.MILLISECONDS);
    long sweep = Math.max(100, config.heartbeatTtl().toMillis() / 2);
    loops.scheduleWithFixedDelay(() -> {
      if (!leadership.isLeader()) {
        return;
      }
      try {
        Instant leading = leadership.leadingSince();
        Instant written = lastSeen.writtenSince();
        store.hosts().sweep(leadership.fence(), written.isAfter(leading) ? written : leading);
      } catch (RuntimeException e) {
        log.warn("event=liveness_sweep_failed error={}", e.toString());
      }
    }, sweep, sweep, TimeUnit.MILLISECONDS);
    loops.scheduleWithFixedDelay(rollouts::resumeAll, ROLLOUT_BACKSTOP.toMillis(), ROLLOUT_BACKSTOP.toMillis(),
        TimeUnit.MILLISECONDS);
    loops.scheduleWithFixedDelay(drains::resumeAll, ROLLOUT_BACKSTOP.toMillis(), ROLLOUT_BACKSTOP.toMillis(),
        TimeUnit.MILLISECONDS);
    return () -> {
      loops.shutdownNow();
      loops.awaitTermination(2, TimeUnit.SECONDS);
    };
  }

  /**
   * Every minute, the expiry of each app's certificate as a gauge; on a thread of its own, so a slow
   * database never holds up the lease tick. Returns what stops it.
   */
  private static AutoCloseable startCertificateGauges(Store store, CertificateGauges gauges, java.time.Clock clock) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("drover-certificate-gauges").factory());
    timer.scheduleWithFixedDelay(() -> {
      try {
        Map<String, java.time.Instant> notAfter = new java.util.TreeMap<>();
        for (var app : store.apps().list()) {
          store.apps().get(app.name())
              .flatMap(s -> io.drover.server.certs.CertificateStatus.of(s.spec(), clock.instant()))
              .filter(c -> c.notAfter() != null)
              .ifPresent(c -> notAfter.put(c.app(), c.notAfter()));
        }
        gauges.update(notAfter);
      } catch (RuntimeException e) {
        log.warn("event=certificate_gauges_failed error={}", e.toString());
      }
    }, 0, 60, TimeUnit.SECONDS);
    return timer::shutdownNow;
  }

  /** True while this server leads: it runs the rollouts and the liveness checks. */
  public boolean isLeader() {
    return leadership.isLeader();
  }

  /** The bound gRPC port (useful when the config asked for port 0). */
  public int grpcPort() {
    return grpc.getPort();
  }

  /** The bound HTTP port. */
  public int httpPort() {
    return http.port();
  }

  /** Blocks until the server has stopped. */
  public void awaitTermination() throws InterruptedException {
    grpc.awaitTermination();
  }

  /** Stops accepting calls, ends agent streams, closes the pool. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    grpc.shutdown();
    Status closing = Status.UNAVAILABLE.withDescription("server is shutting down");
    sessions.closeAll(closing);
    watchers.closeAll(closing);
    rolloutWatchers.closeAll(closing);
    drainWatchers.closeAll(closing);
    closeAll(resources);
    log.info("event=stopped");
  }

  private static void stopGrpc(Server grpc) throws InterruptedException {
    grpc.shutdown();
    if (!grpc.awaitTermination(2, TimeUnit.SECONDS)) {
      grpc.shutdownNow();
      grpc.awaitTermination(1, TimeUnit.SECONDS);
    }
  }

  private static void closeAll(Deque<AutoCloseable> resources) {
    while (!resources.isEmpty()) {
      AutoCloseable resource = resources.pop();
      try {
        resource.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        log.warn("event=close_failed resource={} error={}", resource, e.toString(), e);
      }
    }
  }
}
