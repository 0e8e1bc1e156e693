package io.drover.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.api.v1.AccessServiceGrpc;
import io.drover.api.v1.AddNotifyTargetRequest;
import io.drover.api.v1.ListAuditRequest;
import io.drover.api.v1.ListNotifyDeliveriesRequest;
import io.drover.api.v1.ListNotifyTargetsRequest;
import io.drover.api.v1.RemoveNotifyTargetRequest;
import io.drover.api.v1.AgentMessage;
import io.drover.api.v1.AgentServiceGrpc;
import io.drover.api.v1.AppMetrics;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.AppStatus;
import io.drover.api.v1.ApplyAppRequest;
import io.drover.api.v1.ApplyAppResponse;
import io.drover.api.v1.BundleChunk;
import io.drover.api.v1.CreateTokenRequest;
import io.drover.api.v1.CreateTokenResponse;
import io.drover.api.v1.DeleteAppRequest;
import io.drover.api.v1.DownloadBundleRequest;
import io.drover.api.v1.GetAppStatusRequest;
import io.drover.api.v1.GetTopRequest;
import io.drover.api.v1.GunicornSpec;
import io.drover.api.v1.HasBundleRequest;
import io.drover.api.v1.Hello;
import io.drover.api.v1.HealthSpec;
import io.drover.api.v1.HostMetrics;
import io.drover.api.v1.InstanceState;
import io.drover.api.v1.InstanceStatus;
import io.drover.api.v1.ListHostsRequest;
import io.drover.api.v1.ListRevisionsRequest;
import io.drover.api.v1.Metrics;
import io.drover.api.v1.NginxSpec;
import io.drover.api.v1.OperatorServiceGrpc;
import io.drover.api.v1.PlacementSpec;
import io.drover.api.v1.RequestCounts;
import io.drover.api.v1.RollbackAppRequest;
import io.drover.api.v1.TopLine;
import io.drover.api.v1.UploadBundleResponse;
import io.drover.api.v1.WhoAmIRequest;
import io.drover.build.Build;
import io.drover.server.security.CertificateAuthority;
import io.drover.server.store.SpecCodec;
import io.drover.testing.Await;
import io.drover.testing.TestDatabase;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DroverServerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration METRICS_INTERVAL = Duration.ofMillis(300);
  private static final Map<String, String> WEB = Map.of("role", "web");

  @TempDir Path dir;
  private TestDatabase db;
  private final List<AutoCloseable> open = new ArrayList<>();
  private DroverServer server;
  private Clients clients;
  private Channel channel;
  private OperatorServiceGrpc.OperatorServiceBlockingStub operator;
  private String bundle;

  @BeforeEach
  void start() {
    db = TestDatabase.create();
    server = startServer("a");
    clients = new Clients(server, dir.resolve("a"));
    open.add(clients);
    channel = clients.admin();
    operator = OperatorServiceGrpc.newBlockingStub(channel);
    bundle = upload(new byte[] {1, 2, 3}).getSha256();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    db.close();
  }

  private DroverServer startServer(String name) {
    if (!name.equals("a")) {
      copyCa(dir.resolve("a"), dir.resolve(name));
    }
    ServerConfig config = ServerConfig.defaults(db.url(), dir.resolve(name))
        .withGrpcListen(new InetSocketAddress("127.0.0.1", 0))
        .withHttpListen(new InetSocketAddress("127.0.0.1", 0));
    config = config.withIntervals(config.heartbeatInterval(), METRICS_INTERVAL);
    DroverServer s = DroverServer.start(config);
    open.add(s);
    return s;
  }

  static void copyCa(Path from, Path to) {
    try {
      Files.createDirectories(to);
      for (String f : List.of(CertificateAuthority.KEY_FILE, CertificateAuthority.CERTIFICATE_FILE)) {
        Files.copy(from.resolve(f), to.resolve(f));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private FakeAgent agent(String host, Map<String, String> labels) {
    return agent(clients.agent(host), host, labels);
  }

  private FakeAgent agent(Channel c, String host, Map<String, String> labels) {
    FakeAgent agent = new FakeAgent(c, host, labels);
    open.add(agent);
    return agent;
  }

  private AppSpec spec(String greeting, PlacementSpec placement) {
    return AppSpec.newBuilder()
        .setName("hello")
        .setBundleSha256(bundle)
        .setGunicorn(GunicornSpec.newBuilder().setApp("app:app"))
        .setNginx(NginxSpec.newBuilder().addDomains("hello.local"))
        .setHealth(HealthSpec.newBuilder().setPath("/healthz"))
        .putEnv("GREETING", greeting)
        .setPlacement(placement)
        .build();
  }

  private static PlacementSpec allWeb() {
    return PlacementSpec.newBuilder().putAllLabels(WEB).setAll(true).build();
  }

  private ApplyAppResponse apply(AppSpec spec) {
    return operator.applyApp(ApplyAppRequest.newBuilder().setSpec(spec).build());
  }

  private static InstanceStatus running(long revision) {
    return InstanceStatus.newBuilder().setApp("hello").setRevision(revision)
        .setState(InstanceState.INSTANCE_STATE_RUNNING).setHealthy(true).build();
  }

  @Test
  void assignmentsFollowApplyJoinAndDelete() {
    FakeAgent web1 = agent("web-1", WEB);
    Await.until(WAIT, "welcome and empty assignments", () -> List.of().equals(web1.assigned()));
    assertTrue(web1.received().getFirst().hasWelcome());
    assertEquals(5, web1.received().getFirst().getWelcome().getHeartbeatIntervalSeconds());

    assertEquals(1, apply(spec("hi", allWeb())).getRevision());
    Await.until(WAIT, "web-1 assigned hello@1", () -> List.of("hello@1").equals(web1.assigned()));
    assertEquals("hi", web1.assignments().getAssignments(0).getSpec().getEnvMap().get("GREETING"));

    FakeAgent web2 = agent("web-2", WEB);
    Await.until(WAIT, "joining web-2 assigned hello@1", () -> List.of("hello@1").equals(web2.assigned()));
    FakeAgent db1 = agent("db-1", Map.of("role", "db"));
    Await.until(WAIT, "db-1 gets nothing", () -> List.of().equals(db1.assigned()));

    assertFalse(apply(spec("hi", allWeb())).getChanged());
    assertEquals(2, apply(spec("hello again", allWeb())).getRevision());
    Await.until(WAIT, "web-1 assigned hello@2", () -> List.of("hello@2").equals(web1.assigned()));

    operator.deleteApp(DeleteAppRequest.newBuilder().setApp("hello").build());
    Await.until(WAIT, "web-1 assigned nothing", () -> List.of().equals(web1.assigned()));
    Await.until(WAIT, "web-2 assigned nothing", () -> List.of().equals(web2.assigned()));
    long assignmentMessages = web1.received().stream().filter(m -> m.hasAssignments()).count();
    assertEquals(4, assignmentMessages, "one push per change: empty, @1, @2, empty");
  }

  @Test
  void statusReportsReachGetAndWatchAndRemovedRowsGo() throws Exception {
    FakeAgent web1 = agent("web-1", WEB);
    apply(spec("hi", allWeb()));
    Await.until(WAIT, "web-1 assigned hello@1", () -> List.of("hello@1").equals(web1.assigned()));

    List<AppStatus> watched = new ArrayList<>();
    var watch = OperatorServiceGrpc.newStub(channel);
    io.grpc.Context.CancellableContext watching = io.grpc.Context.current().withCancellation();
    watching.run(() -> watch.watchAppStatus(GetAppStatusRequest.newBuilder().setApp("hello").build(),
        new StreamObserver<>() {
          @Override
          public void onNext(AppStatus s) {
            synchronized (watched) {
              watched.add(s);
            }
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        }));
    Await.until(WAIT, "first watched status", () -> {
      synchronized (watched) {
        return !watched.isEmpty() && watched.getFirst().getInstances(0).getState().equals("pending");
      }
    });

    web1.report(running(1));
    Await.until(WAIT, "watcher sees running", () -> {
      synchronized (watched) {
        return watched.getLast().getInstances(0).getState().equals("running");
      }
    });
    AppStatus status = operator.getAppStatus(GetAppStatusRequest.newBuilder().setApp("hello").build());
    assertEquals(1, status.getDesired());
    assertEquals("web-1", status.getInstances(0).getHost());
    assertEquals(1, status.getInstances(0).getRevision());
    assertTrue(status.getInstances(0).getHealthy());

    operator.deleteApp(DeleteAppRequest.newBuilder().setApp("hello").build());
    Await.until(WAIT, "web-1 assigned nothing", () -> List.of().equals(web1.assigned()));
    assertEquals("removing", operator.getAppStatus(GetAppStatusRequest.newBuilder().setApp("hello").build())
        .getInstances(0).getState());
    web1.report(InstanceStatus.newBuilder().setApp("hello").setState(InstanceState.INSTANCE_STATE_REMOVED).build());
    Await.until(WAIT, "row removed", () -> operator.getAppStatus(
        GetAppStatusRequest.newBuilder().setApp("hello").build()).getInstancesCount() == 0);
    watching.cancel(null);

    var missing = assertThrows(StatusRuntimeException.class,
        () -> operator.getAppStatus(GetAppStatusRequest.newBuilder().setApp("nope").build()));
    assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
    assertEquals("app nope not found", missing.getStatus().getDescription());
  }

  @Test
  void changeThroughOneServerReachesAgentOnAnother() {
    DroverServer b = startServer("b");
    FakeAgent web1 = agent(clients.on(b).agent("web-1"), "web-1", WEB);
    Await.until(WAIT, "web-1 welcomed by b", () -> web1.assigned() != null);
    apply(spec("hi", allWeb()));
    Await.until(WAIT, "web-1 on b assigned hello@1", () -> List.of("hello@1").equals(web1.assigned()));
  }

  @Test
  void agentRulesAndHostState() {
    var bad = assertThrows(StatusRuntimeException.class, () -> clients.agent("Not_A_Host"));
    assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
    assertTrue(bad.getStatus().getDescription().startsWith("host: \"Not_A_Host\" is not a valid host name"),
        bad.getStatus().getDescription());
    FakeAgent badLabel = agent(clients.agent("web-9"), "web-9", Map.of("role", "web}; #"));
    Await.until(WAIT, "bad label refused", () -> badLabel.ended() != null);
    assertEquals(Status.Code.INVALID_ARGUMENT, badLabel.ended().getCode());
    assertTrue(badLabel.ended().getDescription().startsWith("hello.labels.role: value \"web}; #\" must match"),
        badLabel.ended().getDescription());

    Channel web1 = clients.agent("web-1");
    FakeAgent impostor = agent(web1, "web-2", WEB);
    Await.until(WAIT, "hello naming another host refused", () -> impostor.ended() != null);
    assertEquals(Status.Code.PERMISSION_DENIED, impostor.ended().getCode());

    FakeAgent first = agent(web1, "web-1", WEB);
    Await.until(WAIT, "web-1 up", () -> first.assigned() != null);
    FakeAgent second = agent(web1, "web-1", WEB);
    Await.until(WAIT, "older stream closed", () -> first.ended() != null);
    assertEquals(Status.Code.ABORTED, first.ended().getCode());
    assertEquals("up", operator.listHosts(ListHostsRequest.getDefaultInstance()).getHosts(0).getState());
    second.close();
    Await.until(WAIT, "web-1 down", () -> operator.listHosts(ListHostsRequest.getDefaultInstance())
        .getHosts(0).getState().equals("down"));
  }

  @Test
  void eachRevisionNamesTheTokenThatStoredIt() {
    var access = AccessServiceGrpc.newBlockingStub(channel);
    String admin = access.whoAmI(WhoAmIRequest.getDefaultInstance()).getTokenId();
    CreateTokenResponse ci = access.createToken(CreateTokenRequest.newBuilder().setRole("deployer").setName("ci").build());
    var asCi = OperatorServiceGrpc.newBlockingStub(clients.withToken(ci.getSecret()));

    apply(spec("one", allWeb()));
    asCi.applyApp(ApplyAppRequest.newBuilder().setSpec(spec("two", allWeb())).build());
    asCi.rollbackApp(RollbackAppRequest.newBuilder().setApp("hello").build());

    List<String> history = operator.listRevisions(ListRevisionsRequest.newBuilder().setApp("hello").build())
        .getRevisionsList().stream()
        .map(r -> "r" + r.getRevision() + " by " + r.getCreatedBy() + (r.getRollbackOf() > 0 ? " back to r" + r.getRollbackOf() : ""))
        .toList();
    String byCi = "token:" + ci.getToken().getId();
    assertEquals(List.of("r3 by " + byCi + " back to r1", "r2 by " + byCi, "r1 by token:" + admin), history);
  }

  @Test
  void aRollbackToARevisionWhoseBundleWasPrunedFailsNamingIt() throws Exception {
    apply(spec("hello", allWeb()));
    String second = upload(new byte[] {4, 5, 6}).getSha256();
    apply(spec("hello", allWeb()).toBuilder().setBundleSha256(second).build());
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(db.url());
        java.sql.PreparedStatement delete = c.prepareStatement("DELETE FROM bundle WHERE sha256 = ?")) {
      delete.setString(1, bundle);
      assertEquals(1, delete.executeUpdate());
    }
    var e = assertThrows(StatusRuntimeException.class, () -> operator.rollbackApp(
        RollbackAppRequest.newBuilder().setApp("hello").setToRevision(1).build()));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    assertEquals("revision 1 of hello: its bundle " + bundle.substring(0, 12) + " was pruned (the server keeps the "
        + "bundles of each app's last revisions and of those hosts run); apply that revision's source again",
        e.getStatus().getDescription());
  }

  @Test
  void applyNeedsAnUploadedBundle() {
    var e = assertThrows(StatusRuntimeException.class,
        () -> apply(spec("hi", allWeb()).toBuilder().setBundleSha256("b".repeat(64)).build()));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    assertEquals("bundle " + "b".repeat(64) + " is not uploaded", e.getStatus().getDescription());
  }

  @Test
  void bundlesRoundTripWithShaCheck() throws Exception {
    byte[] data = new byte[200_000];
    new Random(7).nextBytes(data);
    UploadBundleResponse uploaded = upload(data);
    assertEquals(data.length, uploaded.getSize());
    Channel web1 = clients.agent("web-1");
    FakeAgent agent = agent(web1, "web-1", WEB);
    apply(spec("hi", allWeb()).toBuilder().setBundleSha256(uploaded.getSha256()).build());
    Await.until(WAIT, "web-1 assigned hello@1", () -> List.of("hello@1").equals(agent.assigned()));
    assertTrue(operator.hasBundle(HasBundleRequest.newBuilder().setSha256(uploaded.getSha256()).build()).getExists());
    assertEquals(uploaded, upload(data), "uploading again is harmless");

    ByteArrayOutputStream downloaded = new ByteArrayOutputStream();
    Iterator<BundleChunk> chunks = AgentServiceGrpc.newBlockingStub(web1)
        .downloadBundle(DownloadBundleRequest.newBuilder().setSha256(uploaded.getSha256()).build());
    int count = 0;
    while (chunks.hasNext()) {
      chunks.next().getData().writeTo(downloaded);
      count++;
    }
    assertEquals(SpecCodec.sha256(data), SpecCodec.sha256(downloaded.toByteArray()));
    assertEquals(4, count, "64 KiB chunks");

    String wrongSha = "c".repeat(64);
    var mismatch = assertThrows(StatusRuntimeException.class, () -> upload(data, wrongSha, data.length));
    assertEquals(Status.Code.INVALID_ARGUMENT, mismatch.getStatus().getCode());
    assertFalse(operator.hasBundle(HasBundleRequest.newBuilder().setSha256(wrongSha).build()).getExists());
    var tooBig = assertThrows(StatusRuntimeException.class, () -> upload(data, wrongSha, 65L * 1024 * 1024));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, tooBig.getStatus().getCode());
    var unassigned = assertThrows(StatusRuntimeException.class, () -> AgentServiceGrpc.newBlockingStub(web1)
        .downloadBundle(DownloadBundleRequest.newBuilder().setSha256(bundle).build()).hasNext());
    assertEquals(Status.Code.PERMISSION_DENIED, unassigned.getStatus().getCode());
    assertEquals("bundle " + bundle + " is not assigned to host web-1", unassigned.getStatus().getDescription());
  }

  @Test
  void metricsShowConnectedAgentsAndHostFigures() throws Exception {
    FakeAgent web1 = agent("web-1", WEB);
    Await.until(WAIT, "web-1 welcomed", () -> web1.assigned() != null);
    web1.send(AgentMessage.newBuilder().setMetrics(Metrics.newBuilder()
        .setHost(HostMetrics.newBuilder().setLoad1(1.5).setMemoryAvailableBytes(1024))).build());
    HttpClient http = HttpClient.newHttpClient();
    URI metrics = URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics");
    Await.until(WAIT, "host gauge in /metrics", () -> get(http, metrics).body().contains("drover_host_load1{host=\"web-1\"} 1.5"));
    String body = get(http, metrics).body();
    assertTrue(body.contains("drover_agents_connected 1.0"), body);
    assertTrue(body.contains("drover_grpc_calls_total"), body);
    assertTrue(body.contains("hikaricp_connections"), body);

    HttpResponse<String> health = get(http, URI.create("http://127.0.0.1:" + server.httpPort() + "/healthz"));
    assertEquals(200, health.statusCode());
    assertEquals("ok\n", health.body());

    web1.close();
    Await.until(WAIT, "host gauge removed", () -> !get(http, metrics).body().contains("drover_host_load1{host=\"web-1\""));
  }

  @Test
  void everyServerShowsTheWholeFleetsState() throws Exception {
    FakeAgent web1 = agent("web-1", WEB);
    web1.send(AgentMessage.newBuilder().setMetrics(Metrics.newBuilder()
        .setHost(HostMetrics.newBuilder().setMemoryTotalBytes(4096).setDiskTotalBytes(8192))).build());
    apply(spec("hi", allWeb()));
    Await.until(WAIT, "web-1 assigned hello", () -> web1.assigned() != null && !web1.assigned().isEmpty());
    web1.report(running(1));
    // server b holds no agent stream: what it shows comes from the database
    DroverServer b = startServer("b");
    HttpClient http = HttpClient.newHttpClient();
    URI onB = URI.create("http://127.0.0.1:" + b.httpPort() + "/metrics");
    URI onA = URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics");
    List<String> fleet = List.of(
        "drover_host_up{host=\"web-1\"} 1.0",
        "drover_app_instances{app=\"hello\",state=\"running\"} 1.0",
        "drover_app_instances_healthy{app=\"hello\"} 1.0",
        "drover_hosts_by_agent_version{version=\"unknown\"} 1.0",
        "drover_build_info{version=\"" + Build.version() + "\"} 1");
    try {
      Await.until(WAIT, "the fleet's state on server b", () -> get(http, onB).body().lines().toList().containsAll(fleet));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ": " + get(http, onB).body().lines().filter(l -> l.startsWith("drover_")).toList(), e);
    }
    String body = get(http, onB).body();
    assertTrue(body.lines().anyMatch(l -> l.matches("drover_rollout_state\\{app=\"hello\",state=\"(running|succeeded)\"} 1\\.0")),
        body);
    assertFalse(body.contains("drover_host_memory_total_bytes{host=\"web-1\"}"), "b holds no stream from web-1");
    Await.until(WAIT, "host totals on server a", () -> get(http, onA).body().lines().toList().containsAll(List.of(
        "drover_host_memory_total_bytes{host=\"web-1\"} 4096.0", "drover_host_disk_total_bytes{host=\"web-1\"} 8192.0")));

    // request counts add up across reports, whichever server wrote them; durations per app
    for (int report = 0; report < 2; report++) {
      web1.send(AgentMessage.newBuilder().setMetrics(Metrics.newBuilder()
          .addApps(AppMetrics.newBuilder().setApp("hello").setRevision(1).setWorkers(2)
              .setRequests(RequestCounts.newBuilder().addAllByClass(List.of(0L, 40L, 0L, 7L, 5L))
                  .setUpstreamErrors(2).addAllDurationBuckets(List.of(30L, 20L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L, 1L))
                  .setDurationSecondsSum(20.5)))).build());
    }
    List<String> requests = List.of(
        "drover_app_requests_total{app=\"hello\",code=\"2xx\",host=\"web-1\"} 80.0",
        "drover_app_requests_total{app=\"hello\",code=\"4xx\",host=\"web-1\"} 14.0",
        "drover_app_requests_total{app=\"hello\",code=\"5xx\",host=\"web-1\"} 10.0",
        "drover_app_requests_total{app=\"hello\",code=\"1xx\",host=\"web-1\"} 0.0",
        "drover_app_upstream_errors_total{app=\"hello\",host=\"web-1\"} 4.0",
        "drover_app_request_duration_seconds_bucket{app=\"hello\",le=\"0.005\"} 60",
        "drover_app_request_duration_seconds_bucket{app=\"hello\",le=\"0.01\"} 100",
        "drover_app_request_duration_seconds_bucket{app=\"hello\",le=\"5.0\"} 100",
        "drover_app_request_duration_seconds_bucket{app=\"hello\",le=\"10.0\"} 102",
        "drover_app_request_duration_seconds_bucket{app=\"hello\",le=\"+Inf\"} 104",
        "drover_app_request_duration_seconds_count{app=\"hello\"} 104",
        "drover_app_request_duration_seconds_sum{app=\"hello\"} 41.0");
    Await.until(WAIT, "request totals on server b", () -> get(http, onB).body().lines().toList().containsAll(requests));
    // drover top: per app, and per host of one app, from whichever server
    Await.until(WAIT, "a rate on server a", () -> operator.getTop(GetTopRequest.getDefaultInstance()).getLinesList()
        .stream().anyMatch(l -> l.getApp().equals("hello") && l.hasRequestsPerSecond()));
    TopLine hello = operator.getTop(GetTopRequest.getDefaultInstance()).getLines(0);
    assertEquals("", hello.getHost());
    assertEquals(1, hello.getInstances());
    assertEquals(2, hello.getWorkers());
    assertEquals(List.of("web-1"), operator.getTop(GetTopRequest.newBuilder().setApp("hello").build()).getLinesList()
        .stream().map(TopLine::getHost).toList());
    var unknown = assertThrows(StatusRuntimeException.class,
        () -> operator.getTop(GetTopRequest.newBuilder().setApp("nope").build()));
    assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());

    web1.close();
    Await.until(WAIT, "web-1 down on server b", () -> get(http, onB).body().lines()
        .anyMatch(l -> l.equals("drover_host_up{host=\"web-1\"} 0.0")));
    operator.deleteApp(DeleteAppRequest.newBuilder().setApp("hello").build());
    Await.until(WAIT, "the deleted app's series gone from server b",
        () -> !get(http, onB).body().contains("app=\"hello\""));
  }

  @Test
  void versionsShowAndAnAgentOfAnotherProtocolIsToldWhatToInstall() {
    FakeAgent future = new FakeAgent(clients.agent("web-9"), Hello.newBuilder().setHost("web-9")
        .setAgentVersion("9.0.0").setProtocol(Build.AGENT_PROTOCOL + 1).build());
    open.add(future);
    Await.until(WAIT, "the future agent refused", () -> future.ended() != null);
    assertEquals(Status.Code.FAILED_PRECONDITION, future.ended().getCode());
    assertEquals("this server (drover " + Build.version() + ") serves agent protocol " + Build.OLDEST_AGENT_PROTOCOL
        + " to " + Build.AGENT_PROTOCOL + ", but the agent on web-9 (drover 9.0.0) speaks " + (Build.AGENT_PROTOCOL + 1)
        + ": install drover-agent " + Build.version() + " on web-9", future.ended().getDescription());

    FakeAgent today = new FakeAgent(clients.agent("web-1"), Hello.newBuilder().setHost("web-1").putAllLabels(WEB)
        .setAgentVersion("0.3.0").setProtocol(Build.AGENT_PROTOCOL).build());
    open.add(today);
    Await.until(WAIT, "web-1 listed with its agent's version", () -> operator.listHosts(
        ListHostsRequest.getDefaultInstance()).getHostsList().stream()
        .anyMatch(h -> h.getName().equals("web-1") && h.getFacts().getAgentVersion().equals("0.3.0")));
    assertTrue(operator.listHosts(ListHostsRequest.getDefaultInstance()).getHostsList().stream()
        .noneMatch(h -> h.getName().equals("web-9")), "the refused agent is not registered");
    assertEquals(Build.version(), AccessServiceGrpc.newBlockingStub(channel).whoAmI(WhoAmIRequest.getDefaultInstance())
        .getServerVersion());
  }

  @Test
  void webhooksAreToldOfEachEventOnceWhateverServerLeads() throws Exception {
    List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    com.sun.net.httpserver.HttpServer receiver =
        com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      boolean fail = calls.incrementAndGet() == 1; // the first attempt fails: it is tried again
      if (!fail) {
        received.add(body);
      }
      exchange.sendResponseHeaders(fail ? 500 : 204, -1);
      exchange.close();
    });
    receiver.start();
    open.add(() -> receiver.stop(0));
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook/T0KEN-SECRET";

    var added = operator.addNotifyTarget(AddNotifyTargetRequest.newBuilder().setWebhook(url).build());
    assertEquals("http://127.0.0.1:" + receiver.getAddress().getPort() + "/…", added.getWebhook());
    assertEquals(5, added.getEventsCount());
    var bad = assertThrows(StatusRuntimeException.class, () -> operator.addNotifyTarget(
        AddNotifyTargetRequest.newBuilder().setWebhook(url).addEvents("host-dwon").build()));
    assertEquals("--events: unknown event 'host-dwon'; known: rollout-failed, rollout-reverted, host-down, host-up, "
        + "crash-loop", bad.getStatus().getDescription());
    startServer("b"); // two servers: only the leader records and sends

    FakeAgent web1 = agent("web-1", WEB);
    apply(spec("hi", allWeb()));
    Await.until(WAIT, "web-1 assigned hello", () -> web1.assigned() != null && !web1.assigned().isEmpty());
    web1.report(InstanceStatus.newBuilder().setApp("hello").setRevision(1).setState(InstanceState.INSTANCE_STATE_FAILED)
        .setReason("health check failed: HTTP 500").build());
    web1.close();
    Await.until(WAIT, "rollout-failed and host-down told", () -> received.size() == 2);
    FakeAgent again = agent("web-1", WEB);
    Await.until(WAIT, "host-up told", () -> received.size() == 3);

    List<String> kinds = received.stream().map(b -> com.google.gson.JsonParser.parseString(b).getAsJsonObject()
        .get("event").getAsString()).sorted().toList();
    assertEquals(List.of("host-down", "host-up", "rollout-failed"), kinds);
    var hostDown = received.stream().map(b -> com.google.gson.JsonParser.parseString(b).getAsJsonObject())
        .filter(j -> j.get("event").getAsString().equals("host-down")).findFirst().orElseThrow();
    assertEquals("web-1", hostDown.get("host").getAsString());
    assertTrue(hostDown.get("text").getAsString().startsWith("Host web-1 is down"), hostDown.toString());

    var log = operator.listNotifyDeliveries(ListNotifyDeliveriesRequest.getDefaultInstance()).getDeliveriesList();
    assertEquals(3, log.size(), log.toString());
    assertTrue(log.stream().allMatch(d -> d.getState().equals("sent")), log.toString());
    assertEquals(4, log.stream().mapToInt(d -> d.getAttempts()).sum(), "one attempt failed: " + log);
    assertEquals(4, calls.get(), "each event sent once, the failed attempt again");

    // the URL's secret is stored sealed, and not in the audit log
    try (var c = java.sql.DriverManager.getConnection(db.url());
        var rows = c.createStatement().executeQuery("select url_sealed || url_shown from notify_target")) {
      while (rows.next()) {
        assertFalse(rows.getString(1).contains("T0KEN-SECRET"), rows.getString(1));
      }
    }
    var audit = AccessServiceGrpc.newBlockingStub(channel).listAudit(ListAuditRequest.getDefaultInstance());
    assertTrue(audit.getEntriesList().stream().anyMatch(e -> e.getMethod().equals("OperatorService/AddNotifyTarget")));
    assertFalse(audit.toString().contains("T0KEN-SECRET"));

    operator.removeNotifyTarget(RemoveNotifyTargetRequest.newBuilder().setWebhookId(added.getWebhookId()).build());
    assertEquals(0, operator.listNotifyTargets(ListNotifyTargetsRequest.getDefaultInstance()).getTargetsCount());
    again.close();
  }

  private static HttpResponse<String> get(HttpClient http, URI uri) {
    try {
      return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException("GET " + uri + " failed", e);
    }
  }

  private UploadBundleResponse upload(byte[] data) {
    return BundleUploads.upload(channel, data);
  }

  private UploadBundleResponse upload(byte[] data, String sha, long size) {
    return BundleUploads.upload(channel, data, sha, size);
  }
}
