package io.drover.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.api.v1.AgentMessage;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.HostMetrics;
import io.drover.api.v1.Metrics;
import io.drover.api.v1.ApplyAppRequest;
import io.drover.api.v1.GetAppStatusRequest;
import io.drover.api.v1.GunicornSpec;
import io.drover.api.v1.HealthSpec;
import io.drover.api.v1.InstanceState;
import io.drover.api.v1.InstanceStatus;
import io.drover.api.v1.ListAppsRequest;
import io.drover.api.v1.NginxSpec;
import io.drover.api.v1.OperatorServiceGrpc;
import io.drover.api.v1.OperatorServiceGrpc.OperatorServiceBlockingStub;
import io.drover.api.v1.PlacementSpec;
import io.drover.testing.Await;
import io.drover.testing.TestDatabase;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Oversized, malformed and unknown input on the wire: the right status, and nothing written. */
class HostileWireTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;
  private TestDatabase db;
  private DroverServer server;
  private Clients clients;
  private OperatorServiceBlockingStub operator;
  private String bundle;

  @BeforeEach
  void start() {
    db = TestDatabase.create();
    server = DroverServer.start(ServerConfig.defaults(db.url(), dir.resolve("server"))
        .withGrpcListen(new InetSocketAddress("127.0.0.1", 0))
        .withHttpListen(new InetSocketAddress("127.0.0.1", 0)));
    clients = new Clients(server, dir.resolve("server"));
    operator = OperatorServiceGrpc.newBlockingStub(clients.admin());
    bundle = BundleUploads.upload(clients.admin(), new byte[] {1}).getSha256();
  }

  @AfterEach
  void stop() {
    clients.close();
    server.close();
    db.close();
  }

  @Test
  void aMessageOverTheLimitIsRefusedBeforeItIsRead() {
    AppSpec huge = spec().toBuilder().setName("x".repeat(5 * 1024 * 1024)).build();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> operator.applyApp(ApplyAppRequest.newBuilder().setSpec(huge).build()));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.getStatus().toString());
    assertEquals(0, operator.listApps(ListAppsRequest.getDefaultInstance()).getAppsCount());
  }

  @Test
  void aSpecOverItsSizeLimitIsRefusedNamingTheLimit() {
    AppSpec.Builder big = spec().toBuilder();
    for (int i = 0; i < 40; i++) {
      big.putEnv("BIG" + i, "x".repeat(4096));
    }
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> operator.applyApp(ApplyAppRequest.newBuilder().setSpec(big).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("spec: ") && e.getStatus().getDescription().contains("at most 131072"),
        e.getStatus().getDescription());
    assertEquals(0, operator.listApps(ListAppsRequest.getDefaultInstance()).getAppsCount());
  }

  @Test
  void bytesThatAreNotTheRequestMessageAreRefused() {
    MethodDescriptor<byte[], byte[]> raw = MethodDescriptor.<byte[], byte[]>newBuilder(new Bytes(), new Bytes())
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(OperatorServiceGrpc.getApplyAppMethod().getFullMethodName())
        .build();
    Channel admin = clients.admin();
    for (byte[] garbage : new byte[][] {{(byte) 0xff, (byte) 0xff, (byte) 0xff}, {0x0a, 0x7f, 0x01}}) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> ClientCalls.blockingUnaryCall(admin, raw, CallOptions.DEFAULT, garbage));
      assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
      assertEquals("the request is not a valid drover.v1.OperatorService/ApplyApp message", e.getStatus().getDescription());
    }
    assertEquals(0, operator.listApps(ListAppsRequest.getDefaultInstance()).getAppsCount());
  }

  @Test
  void aStatusWithAnUnknownStateIsIgnoredAndTheStreamGoesOn() {
    FakeAgent agent = new FakeAgent(clients.agent("web-1"), "web-1", Map.of("role", "web"));
    operator.applyApp(ApplyAppRequest.newBuilder().setSpec(spec()).build());
    Await.until(WAIT, "web-1 assigned hello@1", () -> agent.assigned() != null && agent.assigned().contains("hello@1"));

    agent.report(InstanceStatus.newBuilder().setApp("hello").setRevision(1)
        .setState(InstanceState.INSTANCE_STATE_RUNNING).setHealthy(true).build());
    Await.until(WAIT, "the running report recorded", () -> state().equals("running"));

    agent.report(InstanceStatus.newBuilder().setApp("hello").setRevision(1).setStateValue(99).setHealthy(false).build());
    // messages on one stream are handled in order: once the metrics after it show, the status was handled
    agent.send(AgentMessage.newBuilder().setMetrics(Metrics.newBuilder()
        .setHost(HostMetrics.newBuilder().setLoad1(7.25))).build());
    HttpClient http = HttpClient.newHttpClient();
    URI metrics = URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics");
    Await.until(WAIT, "the metrics after the unknown state",
        () -> get(http, metrics).contains("drover_host_load1{host=\"web-1\"} 7.25"));
    assertEquals("running", state(), "the unknown state changed nothing");
    assertEquals(null, agent.ended(), "the stream stays open");
    agent.close();
  }

  private static String get(HttpClient http, URI uri) {
    try {
      return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("GET " + uri + " failed", e);
    }
  }

  private String state() {
    return operator.getAppStatus(GetAppStatusRequest.newBuilder().setApp("hello").build()).getInstancesList().stream()
        .map(i -> i.getState()).findFirst().orElse("");
  }

  private AppSpec spec() {
    return AppSpec.newBuilder().setName("hello").setBundleSha256(bundle)
        .setGunicorn(GunicornSpec.newBuilder().setApp("app:app"))
        .setNginx(NginxSpec.newBuilder().addDomains("hello.local"))
        .setHealth(HealthSpec.newBuilder().setPath("/"))
        .setPlacement(PlacementSpec.newBuilder().putLabels("role", "web").setAll(true))
        .build();
  }

  /** Sends and receives raw bytes. */
  private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
