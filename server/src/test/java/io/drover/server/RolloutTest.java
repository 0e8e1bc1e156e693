package io.drover.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.api.v1.AppSpec;
import io.drover.api.v1.ApplyAppRequest;
import io.drover.api.v1.GetAppStatusRequest;
import io.drover.api.v1.GetRolloutRequest;
import io.drover.api.v1.GunicornSpec;
import io.drover.api.v1.HealthSpec;
import io.drover.api.v1.InstanceState;
import io.drover.api.v1.InstanceStatus;
import io.drover.api.v1.ListRevisionsRequest;
import io.drover.api.v1.NginxSpec;
import io.drover.api.v1.OperatorServiceGrpc;
import io.drover.api.v1.PlacementSpec;
import io.drover.api.v1.RollbackAppRequest;
import io.drover.api.v1.Rollout;
import io.drover.api.v1.RolloutHost;
import io.drover.api.v1.UpdateSpec;
import io.drover.testing.Await;
import io.drover.testing.TestDatabase;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rolling releases through a real server and PostgreSQL, with fake agents that report what the test says. */
class RolloutTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final List<String> HOSTS = List.of("web-1", "web-2", "web-3");

  @TempDir Path dir;
  private Clients clients;
  private TestDatabase db;
  private final List<AutoCloseable> open = new ArrayList<>();
  private String bundle;

  @BeforeEach
  void start() {
    db = TestDatabase.create();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    db.close();
  }

  private DroverServer server(String name) {
    if (clients != null) {
      DroverServerTest.copyCa(dir.resolve("a"), dir.resolve(name));
    }
    DroverServer s = DroverServer.start(ServerConfig.defaults(db.url(), dir.resolve(name))
        .withGrpcListen(new InetSocketAddress("127.0.0.1", 0))
        .withHttpListen(new InetSocketAddress("127.0.0.1", 0))
        .withLeaderLease(Duration.ofSeconds(3)));
    open.add(s);
    if (clients == null) {
      clients = new Clients(s, dir.resolve(name));
      open.add(clients);
    }
    return s;
  }

  private Channel channel(DroverServer s) {
    return clients.on(s).admin();
  }

  private Map<String, FakeAgent> agents(DroverServer s) {
    Map<String, FakeAgent> agents = new java.util.LinkedHashMap<>();
    for (String host : HOSTS) {
      FakeAgent agent = new FakeAgent(clients.on(s).agent(host), host, Map.of("role", "web"));
      open.add(agent);
      agents.put(host, agent);
    }
    return agents;
  }

  private AppSpec spec(String greeting, UpdateSpec update) {
    return AppSpec.newBuilder()
        .setName("hello")
        .setBundleSha256(bundle)
        .setGunicorn(GunicornSpec.newBuilder().setApp("app:app"))
        .setNginx(NginxSpec.newBuilder().addDomains("hello.local"))
        .setHealth(HealthSpec.newBuilder().setPath("/healthz"))
        .putEnv("GREETING", greeting)
        .setPlacement(PlacementSpec.newBuilder().putLabels("role", "web").setAll(true))
        .setUpdate(update)
        .build();
  }

  private static UpdateSpec oneAtATime() {
    return UpdateSpec.newBuilder().setMaxParallel(1).setMinHealthy(com.google.protobuf.Duration.getDefaultInstance())
        .build();
  }

  private static InstanceStatus status(long revision, InstanceState state, boolean healthy) {
    return InstanceStatus.newBuilder().setApp("hello").setRevision(revision).setState(state).setHealthy(healthy)
        .setReason(state == InstanceState.INSTANCE_STATE_FAILED ? "health check failed: HTTP 500" : "").build();
  }

  private static InstanceStatus running(long revision) {
    return status(revision, InstanceState.INSTANCE_STATE_RUNNING, true);
  }

  private static Rollout rollout(OperatorServiceGrpc.OperatorServiceBlockingStub operator) {
    return operator.getRollout(GetRolloutRequest.newBuilder().setApp("hello").build());
  }

  /** Applies revision 1 and lets every agent run it, so revision 1 is the last good one. */
  private void firstRevision(OperatorServiceGrpc.OperatorServiceBlockingStub operator, Map<String, FakeAgent> agents) {
    operator.applyApp(ApplyAppRequest.newBuilder().setSpec(spec("one", oneAtATime())).build());
    for (FakeAgent agent : agents.values()) {
      Await.until(WAIT, "hello@1 assigned", () -> List.of("hello@1").equals(agent.assigned()));
      agent.report(running(1));
    }
    Await.until(WAIT, "revision 1 rolled out", () -> rollout(operator).getState().equals("succeeded"));
  }

  private static List<String> assigned(Map<String, FakeAgent> agents) {
    return agents.values().stream().map(a -> String.valueOf(a.assigned())).toList();
  }

  @Test
  void rollsOneHostAtATimeAndEachHostOnlyOnce() {
    DroverServer server = server("a");
    Channel channel = channel(server);
    var operator = OperatorServiceGrpc.newBlockingStub(channel);
    bundle = upload(channel, new byte[] {1, 2, 3});
    Map<String, FakeAgent> agents = agents(server);
    firstRevision(operator, agents);

    operator.applyApp(ApplyAppRequest.newBuilder().setSpec(spec("two", oneAtATime())).build());
    for (int i = 0; i < HOSTS.size(); i++) {
      String host = HOSTS.get(i);
      int moved = i + 1;
      Await.until(WAIT, host + " gets hello@2, the others wait", () -> assigned(agents).equals(
          HOSTS.stream().map(h -> HOSTS.indexOf(h) < moved ? "[hello@2]" : "[hello@1]").toList()));
      Rollout during = rollout(operator);
      assertEquals("running", during.getState());
      assertEquals(1, during.getHostsList().stream().filter(h -> h.getStep().equals("updating")).count());
      agents.get(host).report(status(2, InstanceState.INSTANCE_STATE_STARTING, false));
      agents.get(host).report(running(2));
    }
    Await.until(WAIT, "rollout succeeded", () -> rollout(operator).getState().equals("succeeded"));
    Rollout done = rollout(operator);
    assertEquals(1, done.getFromRevision());
    assertEquals(List.of("done", "done", "done"), done.getHostsList().stream().map(RolloutHost::getStep).toList());
    assertEquals("succeeded", operator.getAppStatus(GetAppStatusRequest.newBuilder().setApp("hello").build())
        .getRollout().getState());
  }

  @Test
  void aFailedHostStopsTheRolloutAndRevertsEveryHost() {
    DroverServer server = server("a");
    Channel channel = channel(server);
    var operator = OperatorServiceGrpc.newBlockingStub(channel);
    bundle = upload(channel, new byte[] {1, 2, 3});
    Map<String, FakeAgent> agents = agents(server);
    firstRevision(operator, agents);

    operator.applyApp(ApplyAppRequest.newBuilder().setSpec(spec("two", oneAtATime())).build());
    Await.until(WAIT, "web-1 gets hello@2", () -> List.of("hello@2").equals(agents.get("web-1").assigned()));
    agents.get("web-1").report(running(2));
    Await.until(WAIT, "web-2 gets hello@2", () -> List.of("hello@2").equals(agents.get("web-2").assigned()));
    agents.get("web-2").report(status(2, InstanceState.INSTANCE_STATE_FAILED, false));

    Await.until(WAIT, "rollout reverted", () -> rollout(operator).getState().equals("reverted"));
    assertEquals("web-2: health check failed: HTTP 500", rollout(operator).getReason());
    Await.until(WAIT, "every host back on hello@1",
        () -> assigned(agents).equals(List.of("[hello@1]", "[hello@1]", "[hello@1]")));
    assertEquals(1, operator.getAppStatus(GetAppStatusRequest.newBuilder().setApp("hello").build()).getRevision());

    // History keeps both revisions; a rollback to 2 makes revision 3, equal to 2.
    var history = operator.listRevisions(ListRevisionsRequest.newBuilder().setApp("hello").build());
    assertEquals(List.of(2L, 1L), history.getRevisionsList().stream().map(r -> r.getRevision()).toList());
    assertEquals(List.of("env.GREETING"), history.getRevisions(0).getChangesList());
    assertTrue(history.getRevisions(1).getCurrent());
    var rolledBack = operator.rollbackApp(RollbackAppRequest.newBuilder().setApp("hello").setToRevision(2).build());
    assertEquals(3, rolledBack.getRevision());
    var missing = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
        () -> operator.rollbackApp(RollbackAppRequest.newBuilder().setApp("hello").setToRevision(9).build()));
    assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
    assertEquals("app hello has no revision 9", missing.getStatus().getDescription());
  }

  @Test
  void aRestartedServerResumesTheRolloutFromPostgres() throws Exception {
    DroverServer a = server("a");
    Channel channelA = channel(a);
    var operatorA = OperatorServiceGrpc.newBlockingStub(channelA);
    bundle = upload(channelA, new byte[] {1, 2, 3});
    Map<String, FakeAgent> agents = agents(a);
    firstRevision(operatorA, agents);
    operatorA.applyApp(ApplyAppRequest.newBuilder().setSpec(spec("two", oneAtATime())).build());
    Await.until(WAIT, "web-1 gets hello@2", () -> List.of("hello@2").equals(agents.get("web-1").assigned()));
    a.close();

    DroverServer b = server("b");
    Channel channelB = channel(b);
    var operatorB = OperatorServiceGrpc.newBlockingStub(channelB);
    Map<String, FakeAgent> again = agents(b);
    Await.until(WAIT, "b leads", b::isLeader);
    Await.until(WAIT, "web-1 still on hello@2 and the others on hello@1 after the restart",
        () -> List.of("[hello@2]", "[hello@1]", "[hello@1]").equals(assigned(again)));
    again.get("web-1").report(running(2));
    Await.until(WAIT, "web-2 gets hello@2", () -> List.of("hello@2").equals(again.get("web-2").assigned()));
    again.get("web-2").report(running(2));
    Await.until(WAIT, "web-3 gets hello@2", () -> List.of("hello@2").equals(again.get("web-3").assigned()));
    again.get("web-3").report(running(2));
    Await.until(WAIT, "rollout succeeded", () -> rollout(operatorB).getState().equals("succeeded"));
    assertEquals(3, rollout(operatorB).getHostsCount(), "one step per host");
  }

  @Test
  void oneOfTwoServersLeadsAndTheOtherTakesOver() {
    DroverServer a = server("a");
    Await.until(WAIT, "a leads", a::isLeader);
    DroverServer b = server("b");
    assertTrue(a.isLeader());
    assertTrue(!b.isLeader());
    a.close();
    Await.until(WAIT, "b leads after a stopped", b::isLeader);
  }

  private static String upload(Channel channel, byte[] data) {
    return BundleUploads.upload(channel, data).getSha256();
  }
}
