package io.drover.cli.command;

import io.drover.cli.Main;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
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

  CliRun(BindableService fake) throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(fake).directExecutor()
        .build().start();
  }

  /** {@code drover args… --server=<the fake>}. */
  Result drover(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--server=127.0.0.1:" + server.getPort());
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
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
