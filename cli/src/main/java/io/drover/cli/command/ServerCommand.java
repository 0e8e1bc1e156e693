package io.drover.cli.command;

import io.drover.cli.config.Environment;
import io.drover.cli.config.EnvironmentVariable;
import io.drover.cli.dev.DevEnvironment;
import io.drover.cli.dev.DevFailure;
import io.drover.server.DroverServer;
import io.drover.server.ServerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code drover server}: runs the Drover server until SIGINT or SIGTERM. */
@Command(name = "server", description = "Runs the Drover server until SIGINT or SIGTERM.")
public final class ServerCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

  private final Environment environment;

  @Option(
      names = "--database-url",
      paramLabel = "URL",
      description = "JDBC URL of the PostgreSQL database (default: $DROVER_DATABASE_URL).")
  String databaseUrl;

  @Option(
      names = "--grpc-listen",
      paramLabel = "ADDR",
      converter = HostPort.class,
      description = "host:port of the gRPC API for agents and the CLI (default: 127.0.0.1:" + ServerConfig.DEFAULT_GRPC_PORT + ").")
  InetSocketAddress grpcListen;

  @Option(
      names = "--http-listen",
      paramLabel = "ADDR",
      converter = HostPort.class,
      description = "host:port serving /healthz and /metrics (default: 127.0.0.1:" + ServerConfig.DEFAULT_HTTP_PORT + ").")
  InetSocketAddress httpListen;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "The server's own files (default: $XDG_DATA_HOME/drover/server or ~/.local/share/drover/server).")
  Path dataDir;

  @Option(
      names = "--dev",
      description = {
        "Run on an embedded PostgreSQL kept under --data-dir (default: the 'drover dev' state directory),",
        "stopped with the server; for running agents yourself."
      })
  boolean dev;

  @Option(names = "--tls-name", paramLabel = "NAME",
      description = "A DNS name or address to put in the server's TLS certificate (repeatable; clients trust the "
          + "server's CA, so this is for other TLS tools).")
  List<String> tlsNames = new ArrayList<>();

  @Option(names = "--agent-certificate-ttl", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "How long agents' client certificates last; agents renew at two thirds (default: 24h).")
  Duration agentCertificateTtl;

  @Option(names = "--keep-revisions", paramLabel = "N",
      description = "How many of each app's latest revisions keep their bundles; older bundles that no host runs "
          + "are deleted (default: 10).")
  int keepRevisions = io.drover.server.store.BundlePruner.DEFAULT_KEEP_REVISIONS;

  ServerCommand(Environment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (dev) {
      return runDev();
    }
    ServerConfig config = config();
    DroverServer server = DroverServer.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("event=server_stopping");
      server.close();
    }, "drover-server-shutdown"));
    server.awaitTermination();
    return 0;
  }

  private int runDev() throws InterruptedException {
    if (databaseUrl != null) {
      throw CommandFailure.usage("--dev runs its own database: leave out --database-url");
    }
    Path dir = (dataDir != null ? dataDir : environment.dataDir("dev")).toAbsolutePath();
    DevEnvironment env = new DevEnvironment(new DevEnvironment.Settings(dir,
        grpcListen != null ? grpcListen : new InetSocketAddress("127.0.0.1", ServerConfig.DEFAULT_GRPC_PORT),
        httpListen != null ? httpListen : new InetSocketAddress("127.0.0.1", ServerConfig.DEFAULT_HTTP_PORT),
        new InetSocketAddress("127.0.0.1", 0)));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("event=server_stopping");
      env.close();
    }, "drover-server-shutdown"));
    DroverServer server;
    try {
      server = env.startServer();
    } catch (DevFailure e) {
      throw new CommandFailure("server --dev: " + e.getMessage(), e);
    }
    log.info("event=dev_database url={} data={}", env.postgres().jdbcUrl(), env.postgres().dataDir());
    server.awaitTermination();
    return 0;
  }

  ServerConfig config() {
    String url = databaseUrl != null ? databaseUrl : environment.get(EnvironmentVariable.DROVER_DATABASE_URL).orElse(null);
    if (url == null || url.isBlank()) {
      throw CommandFailure.usage("no database: pass --database-url jdbc:postgresql://HOST/DB or set DROVER_DATABASE_URL");
    }
    ServerConfig config = ServerConfig.defaults(url, dataDir != null ? dataDir : environment.dataDir("server"));
    if (grpcListen != null) {
      config = config.withGrpcListen(grpcListen);
    }
    if (httpListen != null) {
      config = config.withHttpListen(httpListen);
    }
    if (agentCertificateTtl != null) {
      config = config.withAgentCertificateLifetime(agentCertificateTtl);
    }
    if (keepRevisions < 1) {
      throw CommandFailure.usage("--keep-revisions: must be at least 1, got " + keepRevisions);
    }
    return config.withTlsNames(tlsNames).withKeepRevisions(keepRevisions);
  }
}
