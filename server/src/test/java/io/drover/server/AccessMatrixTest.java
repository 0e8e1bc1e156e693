package io.drover.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import io.drover.api.v1.AccessServiceGrpc;
import io.drover.api.v1.AgentServiceGrpc;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.ApplyAppRequest;
import io.drover.api.v1.DownloadBundleRequest;
import io.drover.api.v1.EnrollmentServiceGrpc;
import io.drover.api.v1.GunicornSpec;
import io.drover.api.v1.HealthSpec;
import io.drover.api.v1.NginxSpec;
import io.drover.api.v1.OperatorServiceGrpc;
import io.drover.api.v1.PlacementSpec;
import io.drover.api.v1.RemoveHostRequest;
import io.drover.server.security.CertificateAuthority;
import io.drover.server.store.Database;
import io.drover.server.store.Store;
import io.drover.testing.Await;
import io.drover.testing.TestDatabase;
import io.drover.tls.Fingerprints;
import io.drover.tls.Keys;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.PrototypeMarshaller;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every RPC of every service, as read from the generated service descriptors, called by every kind of
 * caller against a real server over TLS; the set of callers let through must be exactly the one
 * this table expects. A new RPC fails this test until it gets a line here.
 */
class AccessMatrixTest {
  /** Who may call what: the expectation, written independently of the server's proto options. */
  private static final Map<String, String> EXPECTED = new TreeMap<>(Map.ofEntries(
      Map.entry("drover.v1.AgentService/Connect", "agent"),
      Map.entry("drover.v1.AgentService/DownloadBundle", "agent-a"),
      Map.entry("drover.v1.EnrollmentService/Enroll", "public"),
      Map.entry("drover.v1.EnrollmentService/RenewCertificate", "agent"),
      Map.entry("drover.v1.OperatorService/ApplyApp", "deployer"),
      Map.entry("drover.v1.OperatorService/GetApp", "viewer"),
      Map.entry("drover.v1.OperatorService/ListApps", "viewer"),
      Map.entry("drover.v1.OperatorService/ListCertificates", "viewer"),
      Map.entry("drover.v1.OperatorService/DeleteApp", "deployer"),
      Map.entry("drover.v1.OperatorService/ListHosts", "viewer"),
      Map.entry("drover.v1.OperatorService/GetAppStatus", "viewer"),
      Map.entry("drover.v1.OperatorService/GetTop", "viewer"),
      Map.entry("drover.v1.OperatorService/AddNotifyTarget", "admin"),
      Map.entry("drover.v1.OperatorService/ListNotifyTargets", "admin"),
      Map.entry("drover.v1.OperatorService/RemoveNotifyTarget", "admin"),
      Map.entry("drover.v1.OperatorService/ListNotifyDeliveries", "viewer"),
      Map.entry("drover.v1.OperatorService/WatchAppStatus", "viewer"),
      Map.entry("drover.v1.OperatorService/HasBundle", "deployer"),
      Map.entry("drover.v1.OperatorService/UploadBundle", "deployer"),
      Map.entry("drover.v1.OperatorService/GetRollout", "viewer"),
      Map.entry("drover.v1.OperatorService/WatchRollout", "viewer"),
      Map.entry("drover.v1.OperatorService/ListRevisions", "viewer"),
      Map.entry("drover.v1.OperatorService/RollbackApp", "deployer"),
      Map.entry("drover.v1.OperatorService/PlanApp", "viewer"),
      Map.entry("drover.v1.OperatorService/DrainHost", "admin"),
      Map.entry("drover.v1.OperatorService/WatchDrain", "admin"),
      Map.entry("drover.v1.OperatorService/UndrainHost", "admin"),
      Map.entry("drover.v1.AccessService/WhoAmI", "viewer"),
      Map.entry("drover.v1.AccessService/CreateToken", "admin"),
      Map.entry("drover.v1.AccessService/ListTokens", "admin"),
      Map.entry("drover.v1.AccessService/RevokeToken", "admin"),
      Map.entry("drover.v1.AccessService/ApproveHost", "admin"),
      Map.entry("drover.v1.AccessService/RemoveHost", "admin"),
      Map.entry("drover.v1.AccessService/ListAudit", "admin")));

  private static final List<String> CALLERS = List.of("none", "enrollment-token", "agent-a", "agent-b", "viewer",
      "deployer", "admin", "revoked-agent", "expired-certificate");

  /** The callers each level lets through. */
  private static final Map<String, List<String>> ALLOWED = Map.of(
      "public", CALLERS,
      "agent", List.of("agent-a", "agent-b"),
      "agent-a", List.of("agent-a"),
      "viewer", List.of("viewer", "deployer", "admin"),
      "deployer", List.of("deployer", "admin"),
      "admin", List.of("admin"));

  @TempDir Path dir;
  private TestDatabase db;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    db.close();
  }

  @Test
  void everyRpcAdmitsExactlyTheCallersItShould() throws Exception {
    db = TestDatabase.create();
    Path data = dir.resolve("server");
    DroverServer server = DroverServer.start(ServerConfig.defaults(db.url(), data)
        .withGrpcListen(new InetSocketAddress("127.0.0.1", 0))
        .withHttpListen(new InetSocketAddress("127.0.0.1", 0)));
    open.add(server);
    Clients clients = new Clients(server, data);
    open.add(clients);

    // a bundle assigned to web-a only, so agent-b may not download it
    String bundle = BundleUploads.upload(clients.admin(), new byte[] {4, 2}).getSha256();
    Map<String, Channel> callers = new LinkedHashMap<>();
    callers.put("none", clients.anonymous());
    callers.put("enrollment-token", clients.withToken(clients.enrollToken()));
    callers.put("agent-a", clients.agent("web-a"));
    callers.put("agent-b", clients.agent("web-b"));
    callers.put("viewer", clients.operator("viewer"));
    callers.put("deployer", clients.operator("deployer"));
    callers.put("admin", clients.admin());
    callers.put("revoked-agent", clients.agent("web-c"));
    AccessServiceGrpc.newBlockingStub(clients.admin()).removeHost(RemoveHostRequest.newBuilder().setHost("web-c").build());
    callers.put("expired-certificate", expiredCertificateOf("web-a", clients, data));
    OperatorServiceGrpc.newBlockingStub(clients.admin()).applyApp(ApplyAppRequest.newBuilder().setSpec(AppSpec.newBuilder()
        .setName("only-a").setBundleSha256(bundle).setGunicorn(GunicornSpec.newBuilder().setApp("app:app"))
        .setNginx(NginxSpec.newBuilder().addDomains("hello.local")).setHealth(HealthSpec.newBuilder().setPath("/"))
        .setPlacement(PlacementSpec.newBuilder().setCount(1).putLabels("name", "a"))).build());
    try (FakeAgent a = new FakeAgent(callers.get("agent-a"), "web-a", Map.of("name", "a"))) {
      Await.until(Duration.ofSeconds(10), "only-a assigned to web-a",
          () -> a.assigned() != null && a.assigned().contains("only-a@1"));
    }
    Map<String, Message> requests = Map.of(
        "drover.v1.AgentService/DownloadBundle", DownloadBundleRequest.newBuilder().setSha256(bundle).build());

    List<String> methods = new ArrayList<>();
    List<String> mismatches = new ArrayList<>();
    for (ServiceDescriptor service : List.of(AgentServiceGrpc.getServiceDescriptor(),
        OperatorServiceGrpc.getServiceDescriptor(), EnrollmentServiceGrpc.getServiceDescriptor(),
        AccessServiceGrpc.getServiceDescriptor())) {
      for (MethodDescriptor<?, ?> method : service.getMethods()) {
        String name = method.getFullMethodName();
        methods.add(name);
        String level = EXPECTED.get(name);
        if (level == null) {
          mismatches.add(name + ": not in the access matrix; add the callers it should admit");
          continue;
        }
        List<String> admitted = new ArrayList<>();
        Map<String, Status> refusals = new LinkedHashMap<>();
        for (Map.Entry<String, Channel> caller : callers.entrySet()) {
          Status status = call(caller.getValue(), method, requests.get(name));
          if (status == null) {
            admitted.add(caller.getKey());
          } else {
            refusals.put(caller.getKey(), status);
          }
        }
        if (!admitted.equals(ALLOWED.get(level))) {
          mismatches.add(name + ": admitted " + admitted + ", expected " + ALLOWED.get(level) + "; refusals " + refusals);
        }
      }
    }
    assertEquals(List.of(), mismatches);
    assertEquals(EXPECTED.keySet(), new java.util.TreeSet<>(methods), "the matrix names no RPC that does not exist");
  }

  /** A certificate issued to {@code host} by the server's CA that expired an hour ago, recorded as issued. */
  private Channel expiredCertificateOf(String host, Clients clients, Path data) {
    Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(3)), ZoneOffset.UTC);
    KeyPair key = Keys.newKeyPair();
    var cert = CertificateAuthority.load(data, past).issueAgent(key.getPublic(), host, Duration.ofHours(1));
    Database database = Database.open(db.url(), new SimpleMeterRegistry());
    open.add(database);
    Store store = Store.over(database, Clock.systemUTC(), Duration.ofSeconds(10), Duration.ofSeconds(30), dir);
    var current = store.certificates().find(CertificateAuthority.serialOf(clients.certificate(host))).orElseThrow();
    store.certificates().recordRenewal(current, cert, Fingerprints.sha256(key.getPublic().getEncoded()));
    return clients.channel(key.getPrivate(), cert);
  }

  /**
   * Calls {@code method} with {@code request} (else the empty request): null when the call got past
   * access control (any outcome but UNAUTHENTICATED or PERMISSION_DENIED), else the refusing status.
   */
  @SuppressWarnings("unchecked")
  private static Status call(Channel channel, MethodDescriptor<?, ?> raw, Message request) throws InterruptedException {
    MethodDescriptor<Message, Message> method = (MethodDescriptor<Message, Message>) raw;
    Message message = request != null ? request
        : (Message) ((PrototypeMarshaller<?>) method.getRequestMarshaller()).getMessagePrototype();
    ClientCall<Message, Message> call = channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
    CountDownLatch done = new CountDownLatch(1);
    AtomicBoolean answered = new AtomicBoolean();
    AtomicReference<Status> closed = new AtomicReference<>();
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(Message m) {
        answered.set(true);
        done.countDown();
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        closed.set(status);
        done.countDown();
      }
    }, new Metadata());
    call.request(1);
    call.sendMessage(message);
    call.halfClose();
    assertTrue(done.await(15, TimeUnit.SECONDS), raw.getFullMethodName() + " neither answered nor closed");
    call.cancel("done", null);
    if (answered.get()) {
      return null;
    }
    Status status = closed.get();
    return status.getCode() == Status.Code.UNAUTHENTICATED || status.getCode() == Status.Code.PERMISSION_DENIED
        ? status : null;
  }
}
