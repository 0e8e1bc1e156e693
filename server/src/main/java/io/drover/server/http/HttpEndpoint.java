package io.drover.server.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/** The server's HTTP port: {@code GET /healthz} (200 when the database answers) and {@code GET /metrics}. */
public final class HttpEndpoint implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;

  private HttpEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  public static HttpEndpoint start(InetSocketAddress listen, BooleanSupplier healthy, PrometheusMeterRegistry registry) {
    HttpServer server;
    try {
      server = HttpServer.create(listen, 64);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for HTTP on " + listen, e);
    }
    server.createContext("/healthz", exchange -> {
      boolean ok = healthy.getAsBoolean();
      respond(exchange, ok ? 200 : 503, "text/plain; charset=utf-8", ok ? "ok\n" : "database unavailable\n");
    });
    server.createContext("/metrics", exchange ->
        respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    ExecutorService executor = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("drover-http-", 0).daemon().factory());
    server.setExecutor(executor);
    server.start();
    return new HttpEndpoint(server, executor);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int code, String type, String body) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(code, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
