package io.drover.cli.dev;

import io.drover.agent.Agent;
import io.drover.agent.AgentConfig;
import io.drover.agent.connect.AgentIdentity;
import io.drover.agent.sandbox.Sandbox;
import io.drover.api.v1.AccessServiceGrpc;
import io.drover.api.v1.CreateTokenRequest;
import io.drover.server.security.CertificateAuthority;
import io.drover.server.security.ServerCredentials;
import io.drover.tls.BearerToken;
import io.drover.tls.ClientChannels;
import io.drover.tls.Fingerprints;
import io.drover.tls.Pem;
import io.drover.tls.ServerTrust;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.drover.server.DroverServer;
import io.drover.server.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code drover dev} runs, all state under one directory: PostgreSQL ({@code postgres/}), the
 * server ({@code server/}) and one sandboxed agent ({@code agent/}, {@code sandbox/}) in this
 * process. Each step of {@link #start} and {@link #close} holds the same lock, so a Ctrl-C during
 * startup stops exactly what has started.
 */
public final class DevEnvironment implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DevEnvironment.class);
  /** The name of the one host. */
  public static final String HOST = "dev";
  /** Its labels: those the hello example is placed by. */
  public static final Map<String, String> LABELS = Map.of("role", "web");

  /**
   * Where things go.
   *
   * @param dataDir the state directory
   * @param grpcListen the server's gRPC address
   * @param httpListen the server's /healthz and /metrics address
   * @param ingress where the agent's nginx serves the apps
   */
  public record Settings(Path dataDir, InetSocketAddress grpcListen, InetSocketAddress httpListen, InetSocketAddress ingress) {
    public Path sandboxDir() {
      return dataDir.resolve("sandbox");
    }

    /** The address the CLI dials: the gRPC address, with a wildcard host replaced by loopback. */
    public String serverAddress() {
      String host = grpcListen.getAddress() == null || grpcListen.getAddress().isAnyLocalAddress()
          ? "127.0.0.1" : grpcListen.getHostString();
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + grpcListen.getPort();
    }
  }

  private final Settings settings;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private boolean closed;
  private EmbeddedPostgres postgres;

  public DevEnvironment(Settings settings) {
    this.settings = settings;
  }

  public Settings settings() {
    return settings;
  }

  /**
   * Starts PostgreSQL and the server only, for {@code drover server --dev}; returns the server.
   * Throws {@link DevFailure} when a step fails, having stopped what it started.
   */
  public DroverServer startServer() {
    startPostgres();
    return startDroverServer();
  }

  /** Checks the host's programs and ports, then starts PostgreSQL, the server and the agent. */
  public void start(Prerequisites prerequisites) {
    prerequisites.check();
    step("clean up", () -> {
      Sandbox.stopDaemons(settings.sandboxDir()); // left by a run that was killed
      return null;
    });
    requireFree(settings.grpcListen(), "--grpc-listen");
    requireFree(settings.httpListen(), "--http-listen");
    requireFree(settings.ingress(), "--ingress");
    startServer();
    step("agent", () -> {
      Path sandbox = settings.sandboxDir();
      started.push(() -> Sandbox.stopDaemons(sandbox));
      Path agentDir = settings.dataDir().resolve("agent");
      AgentConfig config = AgentConfig.sandbox(settings.serverAddress(), HOST, new LinkedHashMap<>(LABELS),
          agentDir, sandbox, settings.ingress()).withIngressTls(tlsIngress(settings.ingress()));
      if (AgentIdentity.load(agentDir) == null) {
        config = config.withEnrollment(enrollmentToken(), caFingerprint());
      }
      // under root the apps run as an unprivileged user, who must reach the releases (search bits only)
      DatabaseAccount.forThisProcess().makeReachable(config.appsDir());
      Agent agent = Agent.start(config);
      started.push(agent);
      return agent;
    });
  }

  /** The SHA-256 fingerprint of the server's CA, once the server has started. */
  public String caFingerprint() {
    return Fingerprints.sha256(Pem.certificate(read(serverDir().resolve(CertificateAuthority.CERTIFICATE_FILE))));
  }

  /** The admin token the server made on its first start, kept in its data dir. */
  public String adminToken() {
    Path file = serverDir().resolve(ServerCredentials.ADMIN_TOKEN_FILE);
    if (!Files.isRegularFile(file)) {
      throw new DevFailure(file + " is missing: the server's database has tokens but this directory lost the admin "
          + "token; start afresh with another --data-dir");
    }
    return read(file).strip();
  }

  /** A one-use enrollment token for the local agent, made with the admin token. */
  private String enrollmentToken() {
    ManagedChannel channel = ClientChannels.tls(settings.serverAddress(), ServerTrust.pinned(caFingerprint()), null, null)
        .build();
    try {
      return AccessServiceGrpc.newBlockingStub(ClientInterceptors.intercept(channel, new BearerToken(adminToken())))
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .createToken(CreateTokenRequest.newBuilder().setEnroll(true).setName("drover dev agent").build())
          .getSecret();
    } finally {
      channel.shutdownNow();
    }
  }

  private Path serverDir() {
    return settings.dataDir().resolve("server");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new DevFailure("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The running database, once started. */
  public synchronized EmbeddedPostgres postgres() {
    return postgres;
  }

  /** Stops, newest first: the agent, the sandbox's supervisord (and apps) and nginx, the server, PostgreSQL. */
  @Override
  public synchronized void close() {
    closed = true;
    while (!started.isEmpty()) {
      AutoCloseable next = started.pop();
      try {
        next.close();
      } catch (Exception e) {
        log.warn("event=dev_stop_failed what={} error={}", next, e.toString(), e);
      }
    }
  }

  private void startPostgres() {
    step("postgres", () -> {
      Path dir = settings.dataDir();
      Files.createDirectories(dir);
      PostgresBinaries binaries = PostgresBinaries.locate(PostgresBinaries.SYSTEM_ROOT, dir.resolve("postgres-binaries"));
      postgres = EmbeddedPostgres.start(binaries, DatabaseAccount.forThisProcess(), dir.resolve("postgres"));
      started.push(postgres);
      return postgres;
    });
  }

  private DroverServer startDroverServer() {
    return step("server", () -> {
      ServerConfig config = ServerConfig.defaults(postgres.jdbcUrl(), serverDir())
          .withGrpcListen(settings.grpcListen())
          .withHttpListen(settings.httpListen());
      DroverServer server = DroverServer.start(config);
      started.push(server);
      return server;
    });
  }

  private interface Step<T> {
    T run() throws Exception;
  }

  private synchronized <T> T step(String what, Step<T> step) {
    if (closed) {
      throw new DevFailure("stopped while starting (" + what + ")");
    }
    try {
      return step.run();
    } catch (DevFailure e) {
      close();
      throw e;
    } catch (Exception e) {
      close();
      throw new DevFailure("cannot start the " + what + ": " + e.getMessage(), e);
    }
  }

  private void requireFree(InetSocketAddress address, String flag) {
    if (address.getPort() == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(address);
    } catch (IOException e) {
      close();
      throw new DevFailure(address.getHostString() + ":" + address.getPort() + " is taken (" + e.getMessage()
          + "): another program listens there; stop it or pass " + flag + " HOST:PORT");
    }
  }

  /**
   * Where the dev agent's nginx serves apps with {@code nginx.tls}: the ingress host on 443 when the
   * ingress is port 80, else on the ingress port plus 363 (8080 gives 8443), so no root is needed.
   */
  public static InetSocketAddress tlsIngress(InetSocketAddress ingress) {
    int port = ingress.getPort() == 80 ? 443 : ingress.getPort() + 363;
    return ingress.getAddress() != null ? new InetSocketAddress(ingress.getAddress(), port)
        : new InetSocketAddress(ingress.getHostString(), port);
  }
}
