package io.drover.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
 * @param clock the server's clock
 */
public record ServerConfig(
    String databaseUrl,
    InetSocketAddress grpcListen,
    InetSocketAddress httpListen,
    Path dataDir,
    Duration heartbeatInterval,
    Duration metricsInterval,
    Clock clock) {

  public static final int DEFAULT_GRPC_PORT = 7070;
  public static final int DEFAULT_HTTP_PORT = 7071;
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
    Objects.requireNonNull(clock, "clock");
  }

  /** A config with every default set: loopback ports 7070/7071, 5 s heartbeats, 10 s metrics. */
  public static ServerConfig defaults(String databaseUrl, Path dataDir) {
    return new ServerConfig(
        databaseUrl,
        new InetSocketAddress("127.0.0.1", DEFAULT_GRPC_PORT),
        new InetSocketAddress("127.0.0.1", DEFAULT_HTTP_PORT),
        dataDir,
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Clock.systemUTC());
  }

  public ServerConfig withGrpcListen(InetSocketAddress a) {
    return new ServerConfig(databaseUrl, a, httpListen, dataDir, heartbeatInterval, metricsInterval, clock);
  }

  public ServerConfig withHttpListen(InetSocketAddress a) {
    return new ServerConfig(databaseUrl, grpcListen, a, dataDir, heartbeatInterval, metricsInterval, clock);
  }

  public ServerConfig withIntervals(Duration heartbeat, Duration metrics) {
    return new ServerConfig(databaseUrl, grpcListen, httpListen, dataDir, heartbeat, metrics, clock);
  }

  public ServerConfig withClock(Clock c) {
    return new ServerConfig(databaseUrl, grpcListen, httpListen, dataDir, heartbeatInterval, metricsInterval, c);
  }

  /**
   * How long after it was last heard from a host still counts as up: three missed heartbeats plus
   * the last_seen write delay. Guards against hosts left "up" by a server that died.
   */
  public Duration staleAfter() {
    return heartbeatInterval.multipliedBy(3).plus(LAST_SEEN_FLUSH_INTERVAL);
  }

  private static void requirePositive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
  }
}
