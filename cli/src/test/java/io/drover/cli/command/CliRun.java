package io.drover.cli.command;

import io.drover.cli.Main;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code drover} commands in this JVM against a fake operator service on a loopback port. */
final class CliRun implements AutoCloseable {
  /** What one command printed and returned. */
  record Result(int status, String out, String err) {}

  private final Server server;
  private final Path caDir;
  private final String caFingerprint;

  /** The fake serves TLS with a certificate of a CA made for this run, as a real server does. */
  CliRun(BindableService fake) throws IOException {
    caDir = Files.createTempDirectory("drover-cli-ca");
    CertificateAuthority ca = CertificateAuthority.create(caDir, Clock.systemUTC());
    caFingerprint = ca.fingerprint();
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .sslContext(ServerTls.context(ca, List.of()))
        .addService(fake).directExecutor()
        .build().start();
  }

  /** {@code drover args… --server=<the fake> --ca-fingerprint=<its CA>}. */
  Result drover(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--server=127.0.0.1:" + server.getPort());
    all.add("--ca-fingerprint=" + caFingerprint);
    return run(all.toArray(String[]::new));
  }

  /** {@code drover args…} as given. */
  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(status, out.toString(), err.toString());
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
