package io.drover.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.api.v1.AppSpec;
import io.drover.api.v1.ApplyAppRequest;
import io.drover.api.v1.DrainHostRequest;
import io.drover.api.v1.DrainHostResponse;
import io.drover.api.v1.DrainingApp;
import io.drover.api.v1.GetRolloutRequest;
import io.drover.api.v1.GunicornSpec;
import io.drover.api.v1.HealthSpec;
import io.drover.api.v1.Host;
import io.drover.api.v1.InstanceState;
import io.drover.api.v1.InstanceStatus;
import io.drover.api.v1.ListHostsRequest;
import io.drover.api.v1.NginxSpec;
import io.drover.api.v1.OperatorServiceGrpc;
import io.drover.api.v1.OperatorServiceGrpc.OperatorServiceBlockingStub;
import io.drover.api.v1.Plan;
import io.drover.api.v1.PlanAppRequest;
import io.drover.api.v1.PlacementSpec;
import io.drover.api.v1.UndrainHostRequest;
import io.drover.api.v1.UpdateSpec;
import io.drover.testing.Await;
import io.drover.testing.TestDatabase;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Draining hosts and planning applies through a real server and PostgreSQL, with fake agents. */
class DrainAndPlanTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;
  private TestDatabase db;
  private final List<AutoCloseable> open = new ArrayList<>();
  private OperatorServiceBlockingStub operator;
  private Channel channel;
  private final Map<String, FakeAgent> agents = new LinkedHashMap<>();
  private String bundle;

  @BeforeEach
  void start() {
    db = TestDatabase.create();
    DroverServer server = DroverServer.start(ServerConfig.defaults(db.url(), dir.resolve("server"))
        .withGrpcListen(new InetSocketAddress("127.0.0.1", 0))
        .withHttpListen(new InetSocketAddress("127.0.0.1", 0))
        .withLeaderLease(Duration.ofSeconds(3)));
    open.add(server);
    Clients clients = new Clients(server, dir.resolve("server"));
    open.add(clients);
    channel = clients.admin();
    operator = OperatorServiceGrpc.newBlockingStub(channel);
    bundle = upload(channel, new byte[] {1, 2, 3});
    for (String host : List.of("web-1", "web-2", "web-3")) {
      FakeAgent agent = new FakeAgent(clients.agent(host), host, Map.of("role", "web"));
      open.add(agent);
      agents.put(host, agent);
    }
    Await.until(WAIT, "three hosts up", () -> operator.listHosts(ListHostsRequest.getDefaultInstance())
        .getHostsList().stream().filter(h -> h.getState().equals("up")).count() == 3);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    db.close();
  }

  @Test
  void drainStartsTheReplacementFirstAndStopsTheDrainedInstanceOnceItRunsHealthy() {
    operator.applyApp(ApplyAppRequest.newBuilder().setSpec(spec("hello", "Hello", count(2))).build());
    operator.applyApp(ApplyAppRequest.newBuilder().setSpec(spec("metrics", "-", all())).build());
    for (String host : List.of("web-1", "web-2")) {
      Await.until(WAIT, host + " runs hello", () -> assigned(host).contains("hello@1"));
      agents.get(host).report(running("hello", 1));
    }

    DrainHostResponse started = operator.drainHost(DrainHostRequest.newBuilder().setHost("web-1").build());
    assertTrue(started.getDrained());
    List<DrainHostResponse> watched = new CopyOnWriteArrayList<>();
    Context.CancellableContext watching = Context.current().withCancellation();
    watching.run(() -> OperatorServiceGrpc.newStub(channel).watchDrain(
        DrainHostRequest.newBuilder().setHost("web-1").build(), collect(watched)));
    assertEquals(List.of("hello"), started.getAppsList().stream().map(DrainingApp::getApp).toList());
    Await.until(WAIT, "web-3 gets hello", () -> assigned("web-3").contains("hello@1"));
    Await.until(WAIT, "the all app leaves web-1 at once", () -> assigned("web-1").equals(List.of("hello@1")));
    agents.get("web-3").report(status("hello", 1, InstanceState.INSTANCE_STATE_STARTING, false));
    Await.until(WAIT, "drain waits for web-3 starting",
        () -> "web-3 starting".equals(drain("web-1").getApps(0).getWaitingFor()));
    assertEquals(List.of("hello@1"), assigned("web-1"), "web-1 keeps hello while web-3 is not healthy");

    Await.until(WAIT, "the watch shows web-3 starting, last: " + last(watched),
        () -> last(watched) != null && last(watched).getAppsCount() == 1
            && "web-3 starting".equals(last(watched).getApps(0).getWaitingFor()));

    agents.get("web-3").report(running("hello", 1));
    Await.until(WAIT, "web-1 lets hello go", () -> assigned("web-1").isEmpty());
    assertEquals(List.of(), drain("web-1").getAppsList());
    Await.until(WAIT, "the watch shows the drain done, last: " + last(watched),
        () -> last(watched).getAppsCount() == 0);
    assertTrue(watched.stream().allMatch(d -> d.getHost().equals("web-1") && d.getDrained()), watched.toString());
    for (int i = 1; i < watched.size(); i++) {
      assertFalse(watched.get(i).equals(watched.get(i - 1)), "a message repeats the one before: " + watched);
    }
    watching.cancel(null);
    assertTrue(host("web-1").getDrained());
    assertEquals(0, host("web-1").getInstances());

    DrainHostResponse undrained = operator.undrainHost(UndrainHostRequest.newBuilder().setHost("web-1").build());
    assertFalse(undrained.getDrained());
    Await.until(WAIT, "the all app comes back to web-1", () -> assigned("web-1").equals(List.of("metrics@1")));
    assertFalse(assigned("web-2").isEmpty() || !assigned("web-2").contains("hello@1"), "hello stays on web-2");
    assertTrue(assigned("web-3").contains("hello@1"), "hello stays on web-3");
  }

  @Test
  void drainOfAnUnknownHostIsNotFound() {
    var e = assertThrows(StatusRuntimeException.class,
        () -> operator.drainHost(DrainHostRequest.newBuilder().setHost("db-9").build()));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    assertEquals("host db-9 not found", e.getStatus().getDescription());
    var watch = assertThrows(StatusRuntimeException.class,
        () -> operator.watchDrain(DrainHostRequest.newBuilder().setHost("db-9").build()).hasNext());
    assertEquals(Status.Code.NOT_FOUND, watch.getStatus().getCode());
    assertEquals("host db-9 not found", watch.getStatus().getDescription());
  }

  private static DrainHostResponse last(List<DrainHostResponse> watched) {
    return watched.isEmpty() ? null : watched.getLast();
  }

  private static StreamObserver<DrainHostResponse> collect(List<DrainHostResponse> into) {
    return new StreamObserver<>() {
      @Override
      public void onNext(DrainHostResponse d) {
        into.add(d);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }

  @Test
  void planShowsFieldsAndHostActionsWithoutChangingAnything() {
    Plan created = plan(spec("hello", "Hello", count(2)));
    assertTrue(created.getChanged());
    assertEquals(0, created.getCurrentRevision());
    assertEquals(List.of("web-1: start hello r1", "web-2: start hello r1"), actions(created));

    operator.applyApp(ApplyAppRequest.newBuilder().setSpec(spec("hello", "Hello", count(2))).build());
    for (String host : List.of("web-1", "web-2")) {
      Await.until(WAIT, host + " runs hello", () -> assigned(host).contains("hello@1"));
      agents.get(host).report(running("hello", 1));
    }

    Plan same = plan(spec("hello", "Hello", count(2)));
    assertFalse(same.getChanged());
    assertEquals(List.of(), same.getChangesList());
    assertEquals(List.of("web-1: keep hello r1", "web-2: keep hello r1"), actions(same));

    Plan env = plan(spec("hello", "Hi", count(2)));
    assertTrue(env.getChanged());
    assertEquals(2, env.getRevision());
    assertEquals(List.of("env.GREETING: \"Hello\" -> \"Hi\""), changes(env));
    assertEquals(List.of("web-1: start hello r2 beside r1, then stop r1", "web-2: start hello r2 beside r1, then stop r1"),
        actions(env));

    Plan placement = plan(spec("hello", "Hello", all()));
    assertEquals(List.of("placement.count: 2 -> all"), changes(placement));
    assertEquals(List.of("web-1: keep hello r1 (placement only)", "web-2: keep hello r1 (placement only)",
        "web-3: start hello r2"), actions(placement));

    Plan fewer = plan(spec("hello", "Hello", count(1)));
    assertEquals(List.of("web-1: keep hello r1 (placement only)", "web-2: remove hello"), actions(fewer));

    assertEquals(List.of("hello@1"), assigned("web-1"), "a plan changes nothing");
    assertEquals(List.of(), assigned("web-3"));
    assertFalse(plan(spec("hello", "Hello", count(2))).getChanged());
  }

  @Test
  void planShowsADrainedHostLeavingOnceItsReplacementRunsHealthyAndApplyDoesIt() {
    operator.applyApp(ApplyAppRequest.newBuilder().setSpec(spec("hello", "Hello", count(2))).build());
    for (String host : List.of("web-1", "web-2")) {
      Await.until(WAIT, host + " runs hello", () -> assigned(host).contains("hello@1"));
      agents.get(host).report(running("hello", 1));
    }
    drain("web-1");
    Await.until(WAIT, "web-3 gets hello", () -> assigned("web-3").contains("hello@1"));

    Plan plan = plan(spec("hello", "Hi", count(2)));
    assertEquals(List.of("web-1: remove hello once its replacements run healthy",
        "web-2: start hello r2 beside r1, then stop r1", "web-3: start hello r2"), actions(plan));
    assertEquals(List.of("remove", "replace", "start"),
        plan.getHostsList().stream().map(h -> h.getAction()).toList());

    operator.applyApp(ApplyAppRequest.newBuilder().setSpec(spec("hello", "Hi", count(2))).build());
    Await.until(WAIT, "web-3 gets hello@2", () -> assigned("web-3").equals(List.of("hello@2")));
    assertEquals(List.of("hello@1"), assigned("web-1"), "web-1 keeps hello until web-3 runs healthy");
    agents.get("web-3").report(running("hello", 2));
    Await.until(WAIT, "web-1 lets hello go", () -> assigned("web-1").isEmpty());
    Await.until(WAIT, "web-2 gets hello@2", () -> assigned("web-2").equals(List.of("hello@2")));
    agents.get("web-2").report(running("hello", 2));
    Await.until(WAIT, "the rollout succeeds", () -> operator.getRollout(
        GetRolloutRequest.newBuilder().setApp("hello").build()).getState().equals("succeeded"));
  }

  @Test
  void planShowsADrainedHostThatKeepsItsInstanceWhileNoOtherHostCanTakeIt() {
    operator.applyApp(ApplyAppRequest.newBuilder().setSpec(spec("hello", "Hello", count(3))).build());
    for (String host : agents.keySet()) {
      Await.until(WAIT, host + " runs hello", () -> assigned(host).contains("hello@1"));
      agents.get(host).report(running("hello", 1));
    }
    drain("web-1");

    assertEquals(List.of("web-1: keep hello r1 (placement only; drained, kept: no replacement host)",
        "web-2: keep hello r1 (placement only)", "web-3: keep hello r1 (placement only)"),
        actions(plan(spec("hello", "Hello", count(3)).toBuilder()
            .setUpdate(UpdateSpec.newBuilder().setMaxParallel(2)).build())));
    assertEquals(List.of("web-1: start hello r2 beside r1, then stop r1 (drained, kept: no replacement host)",
        "web-2: start hello r2 beside r1, then stop r1", "web-3: start hello r2 beside r1, then stop r1"),
        actions(plan(spec("hello", "Hi", count(3)))));
    assertEquals(List.of("hello@1"), assigned("web-1"), "a plan changes nothing");
  }

  @Test
  void planOfAnInvalidSpecNamesTheField() {
    var e = assertThrows(StatusRuntimeException.class,
        () -> plan(spec("hello", "Hello", count(2)).toBuilder().clearBundleSha256().build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("bundle"), e.getStatus().getDescription());
  }

  private Plan plan(AppSpec spec) {
    return operator.planApp(PlanAppRequest.newBuilder().setSpec(spec).build());
  }

  private static List<String> actions(Plan plan) {
    return plan.getHostsList().stream().map(h -> h.getHost() + ": " + h.getDescription()).toList();
  }

  private static List<String> changes(Plan plan) {
    return plan.getChangesList().stream().map(c -> c.getField() + ": " + c.getBefore() + " -> " + c.getAfter())
        .toList();
  }

  private DrainHostResponse drain(String host) {
    return operator.drainHost(DrainHostRequest.newBuilder().setHost(host).build());
  }

  private Host host(String name) {
    return operator.listHosts(ListHostsRequest.getDefaultInstance()).getHostsList().stream()
        .filter(h -> h.getName().equals(name)).findFirst().orElseThrow();
  }

  /** What the host's agent was last told to run, as "app@revision"; empty before the first push. */
  private List<String> assigned(String host) {
    List<String> a = agents.get(host).assigned();
    return a == null ? List.of() : a;
  }

  private static PlacementSpec count(int n) {
    return PlacementSpec.newBuilder().putLabels("role", "web").setCount(n).build();
  }

  private static PlacementSpec all() {
    return PlacementSpec.newBuilder().putLabels("role", "web").setAll(true).build();
  }

  private AppSpec spec(String name, String greeting, PlacementSpec placement) {
    return AppSpec.newBuilder()
        .setName(name)
        .setBundleSha256(bundle)
        .setGunicorn(GunicornSpec.newBuilder().setApp("app:app"))
        .setNginx(NginxSpec.newBuilder().addDomains(name + ".local"))
        .setHealth(HealthSpec.newBuilder().setPath("/healthz"))
        .putEnv("GREETING", greeting)
        .setPlacement(placement)
        .setUpdate(UpdateSpec.newBuilder().setMinHealthy(com.google.protobuf.Duration.getDefaultInstance()))
        .build();
  }

  private static InstanceStatus status(String app, long revision, InstanceState state, boolean healthy) {
    return InstanceStatus.newBuilder().setApp(app).setRevision(revision).setState(state).setHealthy(healthy).build();
  }

  private static InstanceStatus running(String app, long revision) {
    return status(app, revision, InstanceState.INSTANCE_STATE_RUNNING, true);
  }

  private static String upload(Channel channel, byte[] data) {
    return BundleUploads.upload(channel, data).getSha256();
  }
}
