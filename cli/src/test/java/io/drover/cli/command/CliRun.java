package io.drover.cli.command;

import io.drover.cli.Main;
import io.drover.cli.config.Environment;
import io.drover.cli.output.Terminal;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.drover.server.security.CertificateAuthority;
import io.drover.server.security.ServerTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code drover} commands in this JVM against a fake operator service on a loopback port. */
final class CliRun implements AutoCloseable {
  /** What one command printed and returned. */
  record Result(int status, String out, String err) {}

  /** No variables but a config home where no config file is, so the user's login is not used. */
  static final Environment ENVIRONMENT = environment(Map.of());

  private final BindableService fake;
  private final CertificateAuthority ca;
  private final Path caDir;
  private final String caFingerprint;
  private Server server;

  /** The fake serves TLS with a certificate of a CA made for this run, as a real server does. */
  CliRun(BindableService fake) throws IOException {
    this.fake = fake;
    caDir = Files.createTempDirectory("drover-cli-ca");
    ca = CertificateAuthority.create(caDir, Clock.systemUTC());
    caFingerprint = ca.fingerprint();
    server = serve(0);
  }

  private Server serve(int port) throws IOException {
    return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .sslContext(ServerTls.context(ca, List.of()))
        .addService(fake).directExecutor()
        .build().start();
  }

  /** Stops the fake server (its open calls fail) and starts it again on the same port. */
  void restart() throws IOException, InterruptedException {
    int port = server.getPort();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server = serve(port);
  }

  /** {@code drover args… --server=<the fake> --ca-fingerprint=<its CA>}. */
  Result drover(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--server=127.0.0.1:" + server.getPort());
    all.add("--ca-fingerprint=" + caFingerprint);
    return run(all.toArray(String[]::new));
  }

  /** As {@link #drover}, with standard output on a terminal (plain colours). */
  Result droverOnTerminal(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--server=127.0.0.1:" + server.getPort());
    all.add("--ca-fingerprint=" + caFingerprint);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.commandLine(ENVIRONMENT, new PrintWriter(out), new PrintWriter(err),
        new Terminal(true, false, false)).execute(all.toArray(String[]::new));
    return new Result(status, out.toString(), err.toString());
  }

  /** {@code drover args…} as given, in {@link #ENVIRONMENT}. */
  static Result run(String... args) {
    return run(ENVIRONMENT, args);
  }

  /** {@code drover args…} as given, in {@code environment}. */
  static Result run(Environment environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(environment, new PrintWriter(out), new PrintWriter(err), args);
    return new Result(status, out.toString(), err.toString());
  }

  /** {@code variables} and a config home where no config file is. */
  static Environment environment(Map<String, String> variables) {
    Path nowhere = Path.of(System.getProperty("java.io.tmpdir"), "drover-cli-test-no-config");
    Map<String, String> all = new HashMap<>(variables);
    all.putIfAbsent("XDG_CONFIG_HOME", nowhere.toString());
    return new Environment(all, nowhere);
  }

  /** The port of the fake server. */
  int port() {
    return server.getPort();
  }

  /** The fingerprint of the fake server's CA. */
  String caFingerprint() {
    return caFingerprint;
  }

  @Override
  public void close() {
    try {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      for (String f : List.of(CertificateAuthority.KEY_FILE, CertificateAuthority.CERTIFICATE_FILE)) {
        Files.deleteIfExists(caDir.resolve(f));
      }
      Files.deleteIfExists(caDir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
