package io.drover.agent;

import io.drover.agent.bundle.BundleStore;
import io.drover.agent.connect.Backoff;
import io.drover.agent.connect.ServerChannels;
import io.drover.agent.connect.ServerConnection;
import io.drover.agent.health.HealthMonitor;
import io.drover.agent.host.AppUsers;
import io.drover.agent.host.Directories;
import io.drover.agent.host.HostFactsProbe;
import io.drover.agent.metrics.AppMetricsSampler;
import io.drover.build.Build;
import io.drover.agent.reconcile.AppFiles;
import io.drover.agent.metrics.HostMetricsSampler;
import io.drover.agent.metrics.MetricsSchedule;
import io.drover.agent.nginx.Nginx;
import io.drover.agent.nginx.NginxSite;
import io.drover.agent.nginx.SiteCertificates;
import io.drover.agent.reconcile.Reconciler;
import io.drover.agent.sandbox.Sandbox;
import io.drover.agent.state.LocalState;
import io.drover.agent.state.RunningInstance;
import io.drover.agent.supervisor.Supervisor;
import io.drover.agent.supervisor.SupervisorRpc;
import io.drover.agent.supervisor.SupervisordSocket;
import io.drover.api.v1.HostFacts;
import io.drover.api.v1.Hello;
import io.drover.api.v1.InstanceState;
import io.drover.api.v1.InstanceStatus;
import io.drover.api.v1.Metrics;
import io.drover.agent.connect.AgentIdentity;
import io.drover.tls.ClientChannels;
import io.drover.tls.ServerTrust;
import io.grpc.ManagedChannel;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running agent: its stream to the server, its reconciler and its probes. */
public final class Agent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);
  /** How often the health monitor looks for probes due: each app is probed at its own health.interval. */
  private static final long PROBE_TICK_SECONDS = 1;
  /** How often the spec processes of running instances are looked at, and reported when their states changed. */
  private static final long PROCESS_CHECK_SECONDS = 5;
  /** The most an agent's first probes wait after it starts, spread at random so restarted agents do not probe at once. */
  private static final long FIRST_PROBE_SECONDS = 5;
  private static final Duration SUPERVISOR_TIMEOUT = Duration.ofSeconds(60);
  /** While an enrollment waits for an operator's approval: how often to ask, and for how long. */
  private static final Duration ENROLL_RETRY = Duration.ofSeconds(10);
  private static final Duration ENROLL_PATIENCE = Duration.ofHours(24);

  /** The version this agent reports in its Hello. */
  public static final String VERSION = Build.version();

  private final ServerChannels channel;
  private final EventLoopGroup eventLoop;
  private final AgentThreads threads;
  private final ServerConnection connection;
  private final Reconciler reconciler;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private Agent(ServerChannels channel, EventLoopGroup eventLoop, AgentThreads threads,
      ServerConnection connection, Reconciler reconciler) {
    this.channel = channel;
    this.eventLoop = eventLoop;
    this.threads = threads;
    this.connection = connection;
    this.reconciler = reconciler;
  }

  /** Prepares the host side (sandbox daemons, local state) and starts connecting to the server. */
  public static Agent start(AgentConfig config) {
    Directories.createPrivate(config.dataDir());
    Directories.createReadable(config.appsDir());
    Directories.createReadable(config.appsDir().resolve("releases"));
    Directories.createPrivate(config.appsDir().resolve("logs"));
    Nginx nginx;
    Supervisor supervisor;
    if (config.sandbox()) {
      Sandbox sandbox = Sandbox.start(config.sandboxDir(), config.ingress(), config.nginxBinary(),
          config.supervisordBinary(), config.supervisorctlBinary());
      nginx = new Nginx(sandbox.nginxSiteDir(), sandbox.nginxCommand());
      supervisor = new Supervisor(sandbox.supervisorProgramDir(), sandbox.supervisorRpc());
    } else {
      nginx = new Nginx(config.nginxSiteDir(), config.nginxCommand());
      nginx.writeInclude(NginxSite.LOG_FORMAT_FILE, "# written by the drover agent\n" + NginxSite.HTTP_CONTEXT);
      supervisor = new Supervisor(config.supervisorProgramDir(), new SupervisorRpc(config.supervisordSocket(), SUPERVISOR_TIMEOUT));
      Path supervisordConfig = SupervisordSocket.configOf(config.supervisorctlCommand());
      if (SupervisordSocket.hasInetHttpServer(supervisordConfig)) {
        log.warn("event=supervisord_tcp_control config={} reason=\"[inet_http_server] lets whoever reaches its port "
            + "control every app; remove it, the agent needs only the unix socket\"", supervisordConfig);
      }
    }

    // see package-info: heartbeats on their own thread, blocking work on virtual threads, and one Netty
    // event loop, on which the stream's callbacks also run (they only hand work to the reconcile thread)
    AgentThreads threads = new AgentThreads();
    EventLoopGroup eventLoop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("drover-agent-netty", true),
        NioIoHandler.newFactory());
    AtomicReference<AgentIdentity> identity = new AtomicReference<>(identity(config));
    Function<AgentIdentity, Function<String, ManagedChannel>> channels = id -> address ->
        ClientChannels.tls(address, ServerTrust.of(id.ca()), id.key(), id.certificate())
            .eventLoopGroup(eventLoop)
            .channelType(NioSocketChannel.class)
            .directExecutor()
            .keepAliveTime(30, TimeUnit.SECONDS)
            .keepAliveTimeout(10, TimeUnit.SECONDS)
            .build();
    ServerChannels channel = new ServerChannels(config.servers(), channels.apply(identity.get()),
        ServerChannels.startFor(config.name(), config.servers().size()));
    scheduleRenewal(threads, channel, identity, channels, config);

    LocalState state = new LocalState(config.dataDir());
    HostFacts facts = HostFactsProbe.probe(config.nginxBinary(), config.supervisordBinary(), config.python());
    Hello hello = Hello.newBuilder()
        .setHost(config.name())
        .putAllLabels(config.labels())
        .setFacts(facts)
        .setAgentVersion(VERSION)
        .setProtocol(Build.AGENT_PROTOCOL)
        .build();
    HostMetricsSampler hostMetrics = new HostMetricsSampler(config.dataDir());
    AppMetricsSampler appMetrics = new AppMetricsSampler(supervisor,
        app -> new AppFiles(config.appsDir(), app).nginxAccessLog(), AppFiles.appsWithLogs(config.appsDir()));
    Reconciler[] reconcilerRef = new Reconciler[1];

    MetricsSchedule metrics = new MetricsSchedule(() -> {
      try {
        return Metrics.newBuilder()
            .setHost(hostMetrics.sample())
            .addAllApps(appMetrics.sample(reconcilerRef[0].running()))
            .build();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot sample host metrics: " + e.getMessage(), e);
      }
    }, threads.timer, threads.sampling, config.clock());
    ServerConnection connection = new ServerConnection(channel, threads.heartbeats,
        Backoff.standard(() -> ThreadLocalRandom.current().nextDouble()),
        () -> hello,
        metrics,
        assignments -> reconcilerRef[0].receive(assignments),
        config.clock());
    HealthMonitor health = new HealthMonitor((target, healthy, reason) -> connection.report(InstanceStatus.newBuilder()
        .setApp(target.app())
        .setRevision(target.revision())
        .setState(InstanceState.INSTANCE_STATE_RUNNING)
        .setHealthy(healthy)
        .setReason(reason)
        .build()), threads.probes, config.clock());
    Reconciler reconciler = Reconciler.create(config.appsDir(), AppUsers.ofThisHost(), state, new BundleStore(config.dataDir(), channel),
        supervisor, nginx, config.ingress(), config.python(), config.clock(), health, connection::report,
        threads.reconcile, config.keepReleases(), config.tlsIngress(), new SiteCertificates(config.dataDir().resolve("tls")));
    reconcilerRef[0] = reconciler;

    for (RunningInstance i : reconciler.running()) {
      connection.report(InstanceStatus.newBuilder()
          .setApp(i.app())
          .setRevision(i.revision())
          .setState(InstanceState.INSTANCE_STATE_RUNNING)
          .setHealthy(true)
          .build());
    }
    reconciler.start();
    connection.start();
    long initialDelay = 1 + ThreadLocalRandom.current().nextLong(FIRST_PROBE_SECONDS);
    threads.timer.scheduleWithFixedDelay(health::probeAll, initialDelay, PROBE_TICK_SECONDS, TimeUnit.SECONDS);
    threads.timer.scheduleWithFixedDelay(reconciler::checkProcesses, PROCESS_CHECK_SECONDS, PROCESS_CHECK_SECONDS,
        TimeUnit.SECONDS);
    log.info("event=agent_started host={} server={} mode={} data_dir={} running={}", config.name(), config.server(),
        config.sandbox() ? "sandbox" : "system", config.dataDir(), reconciler.running().size());
    return new Agent(channel, eventLoop, threads, connection, reconciler);
  }

  /** The identity saved in the data dir, else a new one from enrolling with the config's token. */
  private static AgentIdentity identity(AgentConfig config) {
    AgentIdentity identity = AgentIdentity.load(config.dataDir());
    if (identity == null) {
      try {
        identity = AgentIdentity.enroll(config.dataDir(), config.servers().getFirst(), config.name(), config.enrollToken(),
            config.caFingerprint(), ENROLL_RETRY, config.clock().instant().plus(ENROLL_PATIENCE), config.clock());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while enrolling", e);
      }
    }
    if (!identity.host().equals(config.name())) {
      throw new IllegalStateException(config.dataDir() + " holds the identity of host " + identity.host()
          + ", not " + config.name() + ": use another --data-dir, or --name " + identity.host());
    }
    return identity;
  }

  /**
   * Renews the certificate two thirds into its lifetime, on a renewal thread (the call waits for the
   * server); a failed renewal is tried again a minute later.
   */
  private static void scheduleRenewal(AgentThreads threads, ServerChannels channel,
      AtomicReference<AgentIdentity> identity, Function<AgentIdentity, Function<String, ManagedChannel>> channels,
      AgentConfig config) {
    Duration delay = Duration.between(config.clock().instant(), identity.get().renewAt());
    threads.timer.schedule(() -> threads.renewals.execute(() -> {
      try {
        AgentIdentity renewed = identity.get().renew(channel, config.dataDir());
        identity.set(renewed);
        channel.reopen(channels.apply(renewed));
        log.info("event=certificate_renewed host={} not_after={}", config.name(),
            renewed.certificate().getNotAfter().toInstant());
        scheduleRenewal(threads, channel, identity, channels, config);
      } catch (RuntimeException e) {
        log.warn("event=certificate_renewal_failed host={} error={}", config.name(), e.toString());
        threads.timer.schedule(() -> scheduleRenewal(threads, channel, identity, channels, config), 1, TimeUnit.MINUTES);
      }
    }), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
  }

  /** Blocks until the agent has stopped. */
  public void awaitTermination() throws InterruptedException {
    stopped.await();
  }

  /** True while the agent holds a stream the server has welcomed. */
  public boolean connected() {
    return connection.connected();
  }

  /** Closes the stream and stops the agent; the apps, nginx and supervisord keep running. */
  @Override
  public void close() {
    if (stopped.getCount() == 0) {
      return;
    }
    connection.close();
    reconciler.close();
    threads.close();
    try {
      channel.close(5000);
      eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("event=agent_stopped");
    stopped.countDown();
  }

}
