package io.drover.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a server needs to start; validated when built. Defaults live in {@link #defaults}.
 *
 * @param databaseUrl JDBC URL of the PostgreSQL database (credentials may be in the URL)
 * @param grpcListen address of the gRPC port (port 0 picks a free one)
 * @param httpListen address of the HTTP port serving /healthz and /metrics (port 0 picks one)
 * @param dataDir directory for the server's own files
 * @param heartbeatInterval how often agents are asked to heartbeat
 * @param metricsInterval how often agents are asked to send metrics
 * @param heartbeatTtl how long after its last heartbeat a host counts as down (when no stream says so)
 * @param downGrace how long a host may stay down before its {@code count} apps are placed elsewhere
 * @param leaderLease how long the leader's lease lasts without renewal (renewed every third of it)
 * @param clock the server's clock
 * @param agentCertificateLifetime how long the client certificates issued to agents last (they renew
 *     at two thirds of it)
 * @param tlsNames extra DNS names or addresses for the server's TLS certificate
 * @param keepRevisions how many of each app's latest revisions keep their bundles ({@code
 *     BundlePruner})
 */
public record ServerConfig(
    String databaseUrl,
    InetSocketAddress grpcListen,
    InetSocketAddress httpListen,
    Path dataDir,
    Duration heartbeatInterval,
    Duration metricsInterval,
    Duration heartbeatTtl,
    Duration downGrace,
    Duration leaderLease,
    Clock clock,
    Duration agentCertificateLifetime,
    List<String> tlsNames,
    int keepRevisions) {

  public static final int DEFAULT_GRPC_PORT = 7070;
  public static final int DEFAULT_HTTP_PORT = 7071;
  /** How long an agent's client certificate lasts when not configured. */
  public static final Duration DEFAULT_AGENT_CERTIFICATE_LIFETIME = Duration.ofHours(24);
  /** How often the heartbeats collected in memory are written to the hosts' last_seen. */
  public static final Duration LAST_SEEN_FLUSH_INTERVAL = Duration.ofSeconds(2);
  /** The largest message a client may send (bundle uploads come in smaller chunks). */
  public static final int MAX_INBOUND_MESSAGE_BYTES = 4 * 1024 * 1024;

  public ServerConfig {
    Objects.requireNonNull(databaseUrl, "databaseUrl");
    if (!databaseUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("database URL must start with jdbc:postgresql:, got " + databaseUrl);
    }
    Objects.requireNonNull(grpcListen, "grpcListen");
    Objects.requireNonNull(httpListen, "httpListen");
    Objects.requireNonNull(dataDir, "dataDir");
    requirePositive(heartbeatInterval, "heartbeat interval");
    requirePositive(metricsInterval, "metrics interval");
    requirePositive(heartbeatTtl, "heartbeat TTL");
    if (heartbeatTtl.compareTo(heartbeatInterval) <= 0) {
      throw new IllegalArgumentException(
          "heartbeat TTL must be longer than the heartbeat interval " + heartbeatInterval + ", got " + heartbeatTtl);
    }
    if (downGrace == null || downGrace.isNegative()) {
      throw new IllegalArgumentException("down grace must be zero or positive, got " + downGrace);
    }
    requirePositive(leaderLease, "leader lease");
    Objects.requireNonNull(clock, "clock");
    requirePositive(agentCertificateLifetime, "agent certificate lifetime");
    tlsNames = List.copyOf(tlsNames);
    if (keepRevisions < 1) {
      throw new IllegalArgumentException("--keep-revisions must be at least 1, got " + keepRevisions);
    }
  }

  /**
   * A config with every default set: loopback ports 7070/7071, 5 s heartbeats, 10 s metrics, hosts
   * down 10 s after their last heartbeat and replaced 30 s later, a 15 s leader lease.
   */
  public static ServerConfig defaults(String databaseUrl, Path dataDir) {
    return new ServerConfig(
        databaseUrl,
        new InetSocketAddress("127.0.0.1", DEFAULT_GRPC_PORT),
        new InetSocketAddress("127.0.0.1", DEFAULT_HTTP_PORT),
        dataDir,
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(15),
        Clock.systemUTC(),
        DEFAULT_AGENT_CERTIFICATE_LIFETIME,
        List.of(),
        io.drover.server.store.BundlePruner.DEFAULT_KEEP_REVISIONS);
  }

  public ServerConfig withGrpcListen(InetSocketAddress a) {
    return new ServerConfig(databaseUrl, a, httpListen, dataDir, heartbeatInterval, metricsInterval, heartbeatTtl,
        downGrace, leaderLease, clock, agentCertificateLifetime, tlsNames, keepRevisions);
  }

  public ServerConfig withHttpListen(InetSocketAddress a) {
    return new ServerConfig(databaseUrl, grpcListen, a, dataDir, heartbeatInterval, metricsInterval, heartbeatTtl,
        downGrace, leaderLease, clock, agentCertificateLifetime, tlsNames, keepRevisions);
  }

  public ServerConfig withIntervals(Duration heartbeat, Duration metrics) {
    Duration ttl = heartbeatTtl.compareTo(heartbeat) > 0 ? heartbeatTtl : heartbeat.multipliedBy(2);
    return new ServerConfig(databaseUrl, grpcListen, httpListen, dataDir, heartbeat, metrics, ttl, downGrace,
        leaderLease, clock, agentCertificateLifetime, tlsNames, keepRevisions);
  }

  /** The heartbeat TTL and the grace after it before a down host's apps are placed elsewhere. */
  public ServerConfig withLiveness(Duration ttl, Duration grace) {
    return new ServerConfig(databaseUrl, grpcListen, httpListen, dataDir, heartbeatInterval, metricsInterval, ttl, grace,
        leaderLease, clock, agentCertificateLifetime, tlsNames, keepRevisions);
  }

  public ServerConfig withLeaderLease(Duration lease) {
    return new ServerConfig(databaseUrl, grpcListen, httpListen, dataDir, heartbeatInterval, metricsInterval,
        heartbeatTtl, downGrace, lease, clock, agentCertificateLifetime, tlsNames, keepRevisions);
  }

  public ServerConfig withClock(Clock c) {
    return new ServerConfig(databaseUrl, grpcListen, httpListen, dataDir, heartbeatInterval, metricsInterval,
        heartbeatTtl, downGrace, leaderLease, c, agentCertificateLifetime, tlsNames, keepRevisions);
  }

  public ServerConfig withAgentCertificateLifetime(Duration lifetime) {
    return new ServerConfig(databaseUrl, grpcListen, httpListen, dataDir, heartbeatInterval, metricsInterval,
        heartbeatTtl, downGrace, leaderLease, clock, lifetime, tlsNames, keepRevisions);
  }

  public ServerConfig withTlsNames(List<String> names) {
    return new ServerConfig(databaseUrl, grpcListen, httpListen, dataDir, heartbeatInterval, metricsInterval,
        heartbeatTtl, downGrace, leaderLease, clock, agentCertificateLifetime, names, keepRevisions);
  }

  /** How many of each app's latest revisions keep their bundles. */
  public ServerConfig withKeepRevisions(int keep) {
    return new ServerConfig(databaseUrl, grpcListen, httpListen, dataDir, heartbeatInterval, metricsInterval,
        heartbeatTtl, downGrace, leaderLease, clock, agentCertificateLifetime, tlsNames, keep);
  }

  private static void requirePositive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
  }
}
