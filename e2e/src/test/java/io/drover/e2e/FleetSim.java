package io.drover.e2e;

import io.drover.agent.connect.AgentIdentity;
import io.drover.testing.TestDatabase;
import io.grpc.Status;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fleet simulator: a real server process and PostgreSQL, and N simulated agents in this JVM
 * ({@link FleetSimAgent}: the agent's own enrollment, stream, heartbeats and backoff, all on one
 * shared Netty event loop group, started at a fixed rate). It runs enroll, connect, an idle window, a {@code count: all} app, a
 * change of it, and a reconnect storm (the server killed and started again), and prints: connect
 * time, Hello→Welcome p50/p99, server CPU and RSS idle per 1,000 agents, fan-out p50/p99/max from
 * commit and from the apply's start, time until all run healthy, false downs, failed calls, and
 * PostgreSQL transactions per phase and per agent (pg_stat_database of the fleet's database, the
 * simulator's own checks included: about one a second). It asserts nothing about speed.
 *
 * <p>Run with {@code e2e/fleetsim.sh --agents N [--idle 60s]}; {@code FleetSimTest} runs it small.
 */
public final class FleetSim {
  /** How the run is shaped. */
  record Options(int agents, Duration idle, Duration phaseTimeout) {
    static Options parse(String[] args) {
      int agents = 1000;
      Duration idle = Duration.ofSeconds(60);
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--agents" -> agents = Integer.parseInt(args[++i]);
          case "--idle" -> idle = Duration.parse("PT" + args[++i].toUpperCase(Locale.ROOT));
          default -> throw new IllegalArgumentException("unknown option " + args[i]
              + "; usage: fleetsim.sh --agents N [--idle 60s]");
        }
      }
      return new Options(agents, idle, Duration.ofMinutes(10));
    }
  }

  /** What a run measured; {@link #print()} writes it out. */
  static final class Result {
    final int agents;
    final Map<String, String> figures = new LinkedHashMap<>();
    int connected;
    int reconnected;
    int falseDowns;
    final List<String> failedCalls = new ArrayList<>();
    int failedDownloads;
    int refusedWhileDown;
    /**
     * Calls the connection under them failed (a TLS handshake that timed out, a connection closed
     * under load), by phase and cause: the agent retries them with backoff. Not refusals by the server.
     */
    final Map<String, Integer> transportFailures = new java.util.TreeMap<>();
    /** Per change: how many agents reported the new revision running. */
    final List<Integer> runningAfterChange = new ArrayList<>();
    final List<Integer> serverRunningHealthy = new ArrayList<>();

    Result(int agents) {
      this.agents = agents;
    }

    void figure(String name, String value) {
      figures.put(name, value);
    }

    void print() {
      System.out.println();
      System.out.println("Drover fleet simulation: " + agents + " agents, " + Runtime.getRuntime().availableProcessors()
          + " cores");
      figures.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-58s %s%n", k, v));
      System.out.printf(Locale.ROOT, "  %-58s %d%n", "false downs", falseDowns);
      System.out.printf(Locale.ROOT, "  %-58s %d%n", "failed calls (outside the restart)", failedCalls.size());
      System.out.printf(Locale.ROOT, "  %-58s %d%n", "connections refused while the server restarted", refusedWhileDown);
      System.out.printf(Locale.ROOT, "  %-58s %d%n", "transport failures (retried with backoff)",
          transportFailures.values().stream().mapToInt(Integer::intValue).sum());
      transportFailures.forEach((k, v) -> System.out.println("    " + v + " x " + k.lines().findFirst().orElse(k)));
      failedCalls.stream().limit(5).forEach(f -> System.out.println("    " + f));
      System.out.printf(Locale.ROOT, "  %-58s %d%n", "failed downloads", failedDownloads);
    }
  }

  /** The same instant on the wall clock (ns since the epoch) and on System.nanoTime. */
  private static final long WALL_ORIGIN;
  private static final long NANO_ORIGIN;

  static {
    Instant now = Instant.now();
    NANO_ORIGIN = System.nanoTime();
    WALL_ORIGIN = now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private static final String STORM = "reconnect storm";
  /** Threads of the one event loop group all simulated agents share. */
  private static final int EVENT_LOOP_THREADS = 2;
  /** Agents started per second in the connect phase. */
  private static final int START_RATE = 500;
  /** How many agents enroll at once. */
  private static final int ENROLL_PARALLEL = 12;
  /** Enrollment tokens the agents share out (each enrollment updates its token's row). */
  private static final int ENROLL_TOKENS = 4;

  private final Fleet fleet;
  private final String databaseUrl;
  private final Options options;
  private final Path dir;
  private final Result result;
  private final Map<String, FleetSimAgent> agents = new ConcurrentHashMap<>();
  /** Set while the server is being restarted: calls failing then are expected. */
  private volatile boolean restarting;
  /** The phase running now, named in failures. */
  private volatile String phase = "enroll";
  private final ConcurrentLinkedQueue<Long> welcomes = new ConcurrentLinkedQueue<>();
  /** "app@revision" to host to nanoTime. */
  private final Map<String, Map<String, Long>> received = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Long>> running = new ConcurrentHashMap<>();
  private final Set<String> falselyDown = ConcurrentHashMap.newKeySet();
  private final AtomicLong failedDownloads = new AtomicLong();

  FleetSim(Fleet fleet, String databaseUrl, Options options, Path dir) {
    this.fleet = fleet;
    this.databaseUrl = databaseUrl;
    this.options = options;
    this.dir = dir;
    this.result = new Result(options.agents());
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Path tmp = Files.createTempDirectory("drover-fleetsim");
    try (TestDatabase db = TestDatabase.create();
        Fleet fleet = new Fleet(tmp.resolve("fleet"), db.url(), "fleetsim")) {
      fleet.startServer();
      new FleetSim(fleet, db.url(), options, tmp).run().print();
    }
    System.exit(0);
  }

  Result run() throws Exception {
    int n = options.agents();
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < ENROLL_TOKENS; i++) {
      tokens.add(fleet.cli("token", "create", "--enroll", "--uses", Integer.toString(n), "--ttl", "24h",
          "--name", "fleetsim-" + i).requireSuccess().out().strip());
    }
    List<String> hosts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      hosts.add(String.format(Locale.ROOT, "sim-%05d", i));
    }

    // enroll: the agent's own enrollment, several at a time
    long t0 = System.nanoTime();
    Map<String, AgentIdentity> identities = new ConcurrentHashMap<>();
    Semaphore parallel = new Semaphore(ENROLL_PARALLEL);
    try (ExecutorService enrolling = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> done = new ArrayList<>();
      for (String host : hosts) {
        String token = tokens.get(done.size() % tokens.size());
        done.add(enrolling.submit(() -> {
          parallel.acquire();
          try {
            identities.put(host, AgentIdentity.enroll(Files.createDirectories(dir.resolve("agents").resolve(host)),
                fleet.address(), host, token, fleet.caFingerprint(), Duration.ofSeconds(1),
                Instant.now().plusSeconds(60), Clock.systemUTC()));
          } finally {
            parallel.release();
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    result.figure("enroll (" + ENROLL_PARALLEL + " at a time)", seconds(System.nanoTime() - t0));

    EventLoopGroup eventLoop = new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS,
        new DefaultThreadFactory("fleetsim-netty", true),
        NioIoHandler.newFactory());
    ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("fleetsim-heartbeats").daemon().factory());
    ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
    try (Connection pg = DriverManager.getConnection(databaseUrl)) {
      FleetSimAgent.Recorder recorder = recorder();
      for (String host : hosts) {
        agents.put(host, new FleetSimAgent(host, Map.of("role", "web"), identities.get(host),
            List.of(fleet.address()), eventLoop, heartbeats, work, recorder));
      }
      long server = fleet.serverProcess().pid();

      // connect: every agent at once
      phase = "connect";
      Map<String, Long> before = PgStats.read(pg);
      t0 = System.nanoTime();
      // agents start at a fixed rate (hosts booting, or reconnecting with jittered backoff, are spread
      // out too); the simulator's own TLS handshakes all run on its one event loop
      int started = 0;
      for (FleetSimAgent agent : agents.values()) {
        agent.start();
        if (++started % (START_RATE / 10) == 0) {
          Thread.sleep(100);
        }
      }
      awaitAll("every agent connected", () -> connectedCount() == n);
      result.connected = connectedCount();
      result.figure("connect " + n + " agents (started " + START_RATE + "/s)", seconds(System.nanoTime() - t0));
      result.figure("Hello -> Welcome p50 / p99", percentiles(new ArrayList<>(welcomes)));
      result.figure("PostgreSQL transactions, registration", PgStats.perAgent(before, PgStats.read(pg), n));

      // idle
      phase = "idle";
      before = PgStats.read(pg);
      double cpu0 = Processes.cpuSeconds(server);
      long idleStart = System.nanoTime();
      watchDowns(pg, options.idle());
      double idleSeconds = (System.nanoTime() - idleStart) / 1e9;
      double cpu = (Processes.cpuSeconds(server) - cpu0) / idleSeconds;
      long rss = Processes.rssBytes(server).orElse(-1L);
      result.figure("idle server CPU (share of a core), per 1,000 agents", String.format(Locale.ROOT,
          "%.1f%%, %.2f%%", cpu * 100, cpu * 100 * 1000 / n));
      result.figure("idle server RSS, per 1,000 agents", String.format(Locale.ROOT, "%.0f MiB, %.1f MiB",
          rss / 1048576.0, rss / 1048576.0 * 1000 / n));
      result.figure("PostgreSQL transactions, idle (heartbeat flushes)",
          PgStats.perAgentPerMinute(before, PgStats.read(pg), n, idleSeconds));

      // a count: all app, then a change of it
      Path spec = Examples.copy("hello", dir.resolve("hello"));
      Examples.edit(spec, "count: 2", "count: all");
      Examples.edit(spec, "count: all}", "count: all}\nupdate: {max_parallel: " + n + ", min_healthy: 0s}");
      change(pg, spec, 1, "first release (count: all)");
      Examples.edit(spec, "Hello from drover", "Hello again");
      change(pg, spec, 2, "changed env");

      // reconnect storm: kill the server, start it again, every agent comes back
      before = PgStats.read(pg);
      phase = STORM;
      restarting = true;
      fleet.killServer9();
      awaitAll("every agent noticed", () -> connectedCount() == 0);
      t0 = System.nanoTime();
      fleet.startServer();
      restarting = false;
      awaitAll("every agent reconnected", () -> connectedCount() == n);
      result.reconnected = connectedCount();
      result.figure("reconnect storm: all back after server start", seconds(System.nanoTime() - t0));
      result.figure("PostgreSQL transactions, reconnect storm", PgStats.perAgent(before, PgStats.read(pg), n));
      watchDowns(pg, Duration.ofSeconds(Math.min(10, options.idle().toSeconds())));
      long rssAfter = Processes.rssBytes(fleet.serverProcess().pid()).orElse(-1L);
      result.figure("server RSS after the storm", String.format(Locale.ROOT, "%.0f MiB", rssAfter / 1048576.0));
    } finally {
      agents.values().forEach(FleetSimAgent::close);
      heartbeats.shutdownNow();
      work.shutdownNow();
      eventLoop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
    result.falseDowns = falselyDown.size();
    result.failedDownloads = (int) failedDownloads.get();
    return result;
  }

  /** Applies the spec, then follows revision {@code revision} to every agent and to the server's view. */
  private void change(Connection pg, Path spec, long revision, String what) throws Exception {
    Map<String, Long> before = PgStats.read(pg);
    phase = what;
    String key = "hello@" + revision;
    long start = System.nanoTime();
    fleet.cli("apply", "-f", spec.toString()).requireSuccess();
    long committed = revisionCreated(pg, revision);
    int n = options.agents();
    awaitAll(what + ": every agent running", () -> running.getOrDefault(key, Map.of()).size() == n);
    awaitAll(what + ": the server sees every instance running healthy",
        () -> runningHealthy(pg, revision) == n);
    long allHealthy = System.nanoTime();
    List<Long> fromCommit = new ArrayList<>();
    List<Long> fromApply = new ArrayList<>();
    received.getOrDefault(key, Map.of()).values().forEach(at -> {
      fromCommit.add(at - committed);
      fromApply.add(at - start);
    });
    result.runningAfterChange.add(running.getOrDefault(key, Map.of()).size());
    result.serverRunningHealthy.add(runningHealthy(pg, revision));
    result.figure(what + ": fan-out from commit p50 / p99 / max", percentilesWithMax(fromCommit));
    result.figure(what + ": fan-out from apply start p50 / p99 / max", percentilesWithMax(fromApply));
    result.figure(what + ": all running healthy (server) after commit", seconds(allHealthy - committed));
    result.figure(what + ": PostgreSQL transactions (downloads, status reports)", PgStats.perAgent(before, PgStats.read(pg), n));
  }

  /** When the server wrote the revision (just before its commit), on this JVM's nanoTime scale. */
  private long revisionCreated(Connection pg, long revision) throws SQLException {
    try (Statement s = pg.createStatement();
        ResultSet r = s.executeQuery("select extract(epoch from created_at) * 1e9 from revision"
            + " where app = 'hello' and revision = " + revision)) {
      r.next();
      long wallNanos = (long) r.getDouble(1);
      return NANO_ORIGIN + (wallNanos - WALL_ORIGIN);
    }
  }

  private static int runningHealthy(Connection pg, long revision) {
    try (Statement s = pg.createStatement();
        ResultSet r = s.executeQuery("select count(*) from assignment where app = 'hello' and desired"
            + " and state = 'running' and healthy and reported_revision = " + revision)) {
      r.next();
      return r.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the assignments: " + e.getMessage(), e);
    }
  }

  /** For {@code window}, every second: hosts the database shows down while their agent is connected. */
  private void watchDowns(Connection pg, Duration window) throws Exception {
    long end = System.nanoTime() + window.toNanos();
    do {
      try (Statement s = pg.createStatement();
          ResultSet r = s.executeQuery("select name from host where state <> 'up'")) {
        while (r.next()) {
          FleetSimAgent a = agents.get(r.getString(1));
          if (a != null && a.connected()) {
            falselyDown.add(r.getString(1));
          }
        }
      }
      Thread.sleep(Math.min(1000, Math.max(0, (end - System.nanoTime()) / 1_000_000)));
    } while (System.nanoTime() < end);
  }

  private int connectedCount() {
    return (int) agents.values().stream().filter(FleetSimAgent::connected).count();
  }

  private void awaitAll(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + options.phaseTimeout().toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("fleetsim: timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private FleetSimAgent.Recorder recorder() {
    return new FleetSimAgent.Recorder() {
      @Override
      public void welcomed(long nanos) {
        welcomes.add(nanos);
      }

      @Override
      public void callFailed(String method, Status status) {
        // while the server restarts its port refuses connections: the agent's backoff is made for that
        boolean serverDown = status.getCause() instanceof java.net.ConnectException;
        if (!serverDown && transportFailure(status)) {
          synchronized (result) {
            result.transportFailures.merge(phase + ": " + status.getDescription()
                + (status.getCause() != null ? " (" + status.getCause().getClass().getSimpleName() + ")" : ""),
                1, Integer::sum);
          }
          return;
        }
        if (!restarting && !(serverDown && phase.equals(STORM))) {
          synchronized (result) {
            result.failedCalls.add(phase + ": " + method + ": " + status.getCode() + " " + status.getDescription()
                + (status.getCause() != null ? " (" + status.getCause() + ")" : ""));
          }
        }
        if (serverDown) {
          synchronized (result) {
            result.refusedWhileDown++;
          }
        }
      }

      @Override
      public void received(String host, String app, long revision, long atNanos) {
        received.computeIfAbsent(app + "@" + revision, k -> new ConcurrentHashMap<>()).putIfAbsent(host, atNanos);
      }

      @Override
      public void running(String host, String app, long revision, long atNanos) {
        running.computeIfAbsent(app + "@" + revision, k -> new ConcurrentHashMap<>()).putIfAbsent(host, atNanos);
      }

      @Override
      public void downloadFailed(String host, String sha256, Throwable error) {
        failedDownloads.incrementAndGet();
      }
    };
  }

  /**
   * A call that failed below gRPC (no status from the server): the connection broke or its TLS
   * handshake timed out. The server's own refusals always carry a description of their own.
   */
  static boolean transportFailure(Status status) {
    String d = status.getDescription() == null ? "" : status.getDescription();
    return status.getCode() == Status.Code.UNAVAILABLE && (d.startsWith("io exception")
        || d.startsWith("Network closed") || d.startsWith("Keepalive failed") || d.startsWith("Connection closed"));
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }

  private static String percentiles(List<Long> nanos) {
    if (nanos.isEmpty()) {
      return "-";
    }
    Collections.sort(nanos);
    return String.format(Locale.ROOT, "%.0f ms / %.0f ms", at(nanos, 0.50) / 1e6, at(nanos, 0.99) / 1e6);
  }

  private static String percentilesWithMax(List<Long> nanos) {
    if (nanos.isEmpty()) {
      return "-";
    }
    Collections.sort(nanos);
    return String.format(Locale.ROOT, "%.0f ms / %.0f ms / %.0f ms", at(nanos, 0.50) / 1e6, at(nanos, 0.99) / 1e6,
        nanos.getLast() / 1e6);
  }

  private static long at(List<Long> sorted, double q) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
  }

  /** PostgreSQL's own counters of the simulated fleet's database (pg_stat_database). */
  static final class PgStats {
    private PgStats() {}

    static Map<String, Long> read(Connection pg) throws SQLException {
      try (Statement s = pg.createStatement()) {
        s.execute("select pg_stat_clear_snapshot()");
        try (ResultSet r = s.executeQuery("select xact_commit + xact_rollback"
            + " from pg_stat_database where datname = current_database()")) {
          r.next();
          return Map.of("transactions", r.getLong(1));
        }
      }
    }

    static String perAgent(Map<String, Long> before, Map<String, Long> after, int agents) {
      long tx = after.get("transactions") - before.get("transactions");
      return String.format(Locale.ROOT, "%d (%.2f per agent)", tx, tx / (double) agents);
    }

    static String perAgentPerMinute(Map<String, Long> before, Map<String, Long> after, int agents, double seconds) {
      double perMinute = (after.get("transactions") - before.get("transactions")) * 60 / seconds;
      return String.format(Locale.ROOT, "%.0f a minute (%.3f per agent)", perMinute, perMinute / agents);
    }
  }
}
