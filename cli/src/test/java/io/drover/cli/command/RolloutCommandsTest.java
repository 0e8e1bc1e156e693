package io.drover.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.api.v1.App;
import io.drover.api.v1.Revision;
import io.drover.api.v1.Rollout;
import io.drover.api.v1.RolloutHost;
import io.drover.cli.command.CliRun.Result;
import io.drover.testing.Await;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rollout status}, {@code history}, {@code rollback} and {@code apply --wait} following a rollout. */
class RolloutCommandsTest {
  @TempDir Path dir;
  private final FakeOperatorService fake = new FakeOperatorService();
  private CliRun cli;
  private Path spec;

  @BeforeEach
  void start() throws IOException {
    cli = new CliRun(fake);
    Files.createDirectories(dir.resolve("app"));
    Files.writeString(dir.resolve("app/app.py"), "from flask import Flask\napp = Flask(__name__)\n");
    spec = Files.writeString(dir.resolve("hello.yaml"), """
        name: hello
        source: ./app
        gunicorn: {app: "app:app"}
        nginx: {domains: [hello.local]}
        health: {path: /healthz}
        placement: {count: 2}
        update: {max_parallel: 1, min_healthy: 0s}
        """);
  }

  @AfterEach
  void stop() throws InterruptedException {
    cli.close();
  }

  private Result drover(String... args) {
    return cli.drover(args);
  }

  private static RolloutHost host(String name, String step, long revision, String state, boolean healthy) {
    return RolloutHost.newBuilder().setHost(name).setStep(step).setRevision(revision).setState(state).setHealthy(healthy).build();
  }

  private static Rollout rollout(String state, String reason, RolloutHost... hosts) {
    return Rollout.newBuilder().setApp("hello").setRevision(1).setFromRevision(0).setState(state).setReason(reason)
        .setMaxParallel(1).addAllHosts(List.of(hosts)).build();
  }

  @Test
  void applyWaitFollowsTheRolloutHostByHost() {
    fake.rollouts.add(rollout("running", "", host("web-1", "updating", 1, "starting", false), host("web-2", "waiting", 0, "pending", false)));
    fake.rollouts.add(rollout("running", "", host("web-1", "done", 1, "running", true), host("web-2", "updating", 1, "starting", false)));
    fake.rollouts.add(rollout("succeeded", "", host("web-1", "done", 1, "running", true), host("web-2", "done", 1, "running", true)));
    Result result = drover("apply", "-f", spec.toString(), "--wait");
    assertEquals(0, result.status(), result.err());
    assertTrue(result.out().contains("web-1: updating (revision 1, starting, not healthy)"), result.out());
    assertTrue(result.out().contains("web-2: updating (revision 1, starting, not healthy)"), result.out());
    assertTrue(result.out().contains("hello: revision 1: succeeded, 2 of 2 hosts done"), result.out());
    assertTrue(result.out().endsWith("hello: revision 1 rolled out, running and healthy\n"), result.out());
  }

  @Test
  void applyWaitExitsNonZeroWhenTheRolloutWasReverted() {
    fake.rollouts.add(rollout("running", "", host("web-1", "updating", 1, "starting", false)));
    fake.rollouts.add(Rollout.newBuilder(rollout("reverted", "web-1: health check failed: HTTP 500",
        host("web-1", "failed", 0, "failed", false))).setFromRevision(3).build());
    Result result = drover("apply", "-f", spec.toString(), "--wait");
    assertEquals(1, result.status());
    assertTrue(result.err().contains("hello: rollout of revision 1 reverted to revision 3: web-1: health check failed: HTTP 500"),
        result.err());
  }

  @Test
  void applyWaitOpensTheRolloutStreamAgainWhenTheServerIsUnavailable() {
    fake.watchFailures.add(Status.UNAVAILABLE.withDescription("server is shutting down"));
    fake.rollouts.add(rollout("running", "", host("web-1", "updating", 1, "starting", false)));
    fake.rollouts.add(rollout("succeeded", "", host("web-1", "done", 1, "running", true)));
    Result result = drover("apply", "-f", spec.toString(), "--wait");
    assertEquals(0, result.status(), result.err());
    assertEquals("", result.err());
    assertTrue(result.out().endsWith("hello: revision 1 rolled out, running and healthy\n"), result.out());
    assertEquals(2, fake.watchCalls.get(), "opened again after UNAVAILABLE");
  }

  @Test
  void applyWaitFollowsTheRolloutAcrossAServerRestart() throws Exception {
    fake.holdRolloutStream = true;
    fake.rollouts.add(rollout("running", "", host("web-1", "updating", 1, "starting", false)));
    CompletableFuture<Result> applied = CompletableFuture.supplyAsync(() -> drover("apply", "-f", spec.toString(), "--wait"));
    Await.until(Duration.ofSeconds(30), "the rollout stream to be open", () -> fake.watchCalls.get() == 1);
    fake.rollouts.set(0, rollout("succeeded", "", host("web-1", "done", 1, "running", true)));
    fake.holdRolloutStream = false;
    cli.restart();
    Result result = applied.get(60, TimeUnit.SECONDS);
    assertEquals(0, result.status(), result.toString());
    assertEquals("", result.err());
    assertTrue(result.out().endsWith("hello: revision 1 rolled out, running and healthy\n"), result.out());
  }

  @Test
  void aWatchThatFailsOtherwiseEndsAtOnceWithOneLine() {
    fake.watchFailures.add(Status.INTERNAL.withDescription("cannot read the rollout of hello: disk on fire"));
    fake.rollouts.add(rollout("running", "", host("web-1", "updating", 1, "starting", false)));
    Result result = drover("rollout", "status", "hello", "--watch");
    assertEquals(new Result(1, "", "drover: cannot read the rollout of hello: disk on fire\n"), result);
    assertEquals(1, fake.watchCalls.get(), "not opened again");
  }

  @Test
  void rolloutStatusWatchTimesOutWithThree() {
    fake.holdRolloutStream = true;
    fake.rollouts.add(rollout("running", "", host("web-1", "updating", 1, "starting", false)));
    Result result = drover("rollout", "status", "hello", "--watch", "--timeout", "1s");
    assertEquals(new Result(3, "hello: revision 1: running, 0 of 1 hosts done, 1 at a time, min healthy 0s\n"
        + "web-1: updating (revision 1, starting, not healthy)\n",
        "drover: hello: rollout still running after 1s: waiting for web-1 (updating)\n"), result);
  }

  @Test
  void rolloutStatusShowsEachHost() {
    fake.rollouts.add(rollout("running", "", host("web-1", "done", 1, "running", true), host("web-2", "updating", 1, "starting", false)));
    Result result = drover("rollout", "status", "hello");
    assertEquals(0, result.status(), result.err());
    assertTrue(result.out().startsWith("hello: revision 1: running, 1 of 2 hosts done, 1 at a time, min healthy 0s\n"), result.out());
    assertTrue(result.out().contains("web-2  updating  1"), result.out());

    Result unknown = drover("rollout", "status", "nope");
    assertEquals(0, unknown.status(), "the fake answers every app");
  }

  @Test
  void rolloutStatusWatchEndsWithTheRolloutsOutcome() {
    fake.rollouts.add(rollout("running", "", host("web-1", "updating", 1, "starting", false)));
    fake.rollouts.add(rollout("failed", "web-1: not running and healthy 5m after its update started",
        host("web-1", "failed", 1, "starting", false)));
    Result result = drover("rollout", "status", "hello", "--watch");
    assertEquals(1, result.status());
    assertTrue(result.out().contains("web-1: failed (revision 1, starting, not healthy)"), result.out());
    assertTrue(result.err().contains("hello: rollout of revision 1 failed: web-1: not running and healthy 5m"), result.err());
  }

  @Test
  void historyListsRevisionsWithTheirChanges() {
    fake.revisions.add(Revision.newBuilder().setRevision(3).setRollbackOf(1).setCurrent(true).build());
    fake.revisions.add(Revision.newBuilder().setRevision(2).addChanges("env.GREETING").addChanges("placement.count").build());
    fake.revisions.add(Revision.newBuilder().setRevision(1).addChanges("created").setCreatedBy("ana").build());
    Result result = drover("history", "hello");
    assertEquals(0, result.status(), result.err());
    List<String> lines = result.out().lines().toList();
    assertTrue(lines.get(0).startsWith("REVISION"), result.out());
    assertTrue(lines.get(1).startsWith("3 (current)") && lines.get(1).endsWith("rollback to 1"), result.out());
    assertTrue(lines.get(2).endsWith("env.GREETING, placement.count"), result.out());
    assertTrue(lines.get(3).contains("ana"), result.out());
  }

  @Test
  void rollbackAsksForTheRevisionAndReportsTheNewOne() {
    fake.apps.put("hello", App.newBuilder().setName("hello").setRevision(4).build());
    Result result = drover("rollback", "hello", "--to", "2");
    assertEquals(0, result.status(), result.err());
    assertEquals("hello: revision 5 applied (same as revision 2)\n", result.out());
    assertEquals(2, fake.rollbacks.get(0).getToRevision());

    Result previous = drover("rollback", "hello");
    assertEquals(0, previous.status(), previous.err());
    assertEquals(0, fake.rollbacks.get(1).getToRevision(), "0 asks the server for the one before the current");
  }
}
