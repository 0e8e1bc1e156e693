package io.drover.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.api.v1.DrainHostResponse;
import io.drover.api.v1.DrainingApp;
import io.drover.api.v1.FieldChange;
import io.drover.api.v1.Host;
import io.drover.api.v1.HostAction;
import io.drover.api.v1.Plan;
import io.drover.cli.bundle.BundlePacker;
import io.drover.cli.command.CliRun.Result;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code drover plan}, {@code drain} and {@code undrain} against a fake server on a loopback port. */
class PlanAndDrainCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

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
        env: {GREETING: "Hi"}
        placement: {labels: {role: web}, count: all}
        """);
  }

  @AfterEach
  void stop() throws InterruptedException {
    cli.close();
  }

  private Result drover(String... args) {
    return cli.drover(args);
  }

  private static Result run(String... args) {
    return CliRun.run(args);
  }

  private static HostAction action(String host, String action, String description) {
    return HostAction.newBuilder().setHost(host).setAction(action).setDescription(description).build();
  }

  @Test
  void planPrintsTheChangesAndExitsTwo() throws Exception {
    fake.plan = Plan.newBuilder().setCurrentRevision(2).setRevision(3).setChanged(true)
        .addChanges(FieldChange.newBuilder().setField("source").setBefore("aaa").setAfter("bbb"))
        .addChanges(FieldChange.newBuilder().setField("env.GREETING").setBefore("\"Hello\"").setAfter("\"Hi\""))
        .addChanges(FieldChange.newBuilder().setField("placement.count").setBefore("2").setAfter("all"))
        .addHosts(action("web-1", "replace", "start hello r3 beside r2, then stop r2"))
        .addHosts(action("web-2", "keep", "keep hello r2 (placement only)"))
        .addHosts(action("web-3", "start", "start hello r3"))
        .build();
    Result result = drover("plan", "-f", spec.toString());
    assertEquals(new Result(2, """
        hello: revision 2 -> 3
          source changed
          env.GREETING: "Hello" -> "Hi"
          placement.count: 2 -> all
        hosts:
          web-1: start hello r3 beside r2, then stop r2
          web-2: keep hello r2 (placement only)
          web-3: start hello r3
        """, ""), result);
    assertEquals(BundlePacker.pack(dir.resolve("app")).sha256(), fake.planned.get(0).getBundleSha256(),
        "the plan compares the packed source's digest");
    assertEquals(0, fake.uploads.get(), "a plan uploads nothing");

    JsonNode json = JSON.readTree(drover("plan", "-f", spec.toString(), "-o", "json").out());
    assertEquals("hello", json.get("app").asText());
    assertEquals("env.GREETING", json.get("changes").get(1).get("field").asText());
    assertEquals("start", json.get("hosts").get(2).get("action").asText());
  }

  @Test
  void planOfAnUnchangedSpecExitsZero() {
    fake.plan = Plan.newBuilder().setCurrentRevision(2).setRevision(2).setChanged(false)
        .addHosts(action("web-1", "keep", "keep hello r2")).build();
    assertEquals(new Result(0, "hello: no change (revision 2)\nhosts:\n  web-1: keep hello r2\n", ""),
        drover("plan", "-f", spec.toString()));
  }

  @Test
  void planOfAnInvalidSpecOrWithoutServerExitsOne() throws IOException {
    Files.writeString(spec, Files.readString(spec).replace("name: hello", "name: Hello_World"));
    Result invalid = drover("plan", "-f", spec.toString());
    assertEquals(1, invalid.status());
    assertTrue(invalid.err().startsWith(spec + ": name: "), invalid.err());
    assertEquals(0, fake.calls.get());

    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Files.writeString(spec, Files.readString(spec).replace("name: Hello_World", "name: hello"));
    Result unreachable = run("plan", "-f", spec.toString(), "--server", "127.0.0.1:" + port, "--ca-fingerprint", "ab".repeat(32));
    assertEquals(new Result(1, "", "drover: cannot reach server at 127.0.0.1:" + port + " (connection refused)\n"),
        unreachable);
  }

  @Test
  void drainWaitsUntilTheHostRunsNoApp() {
    DrainingApp hello = DrainingApp.newBuilder().setApp("hello").setWaitingFor("web-3 pending").build();
    fake.drains.add(DrainHostResponse.newBuilder().setHost("web-1").setDrained(true).addApps(hello).build());
    fake.drains.add(DrainHostResponse.newBuilder().setHost("web-1").setDrained(true)
        .addApps(hello.toBuilder().setWaitingFor("web-3 starting")).build());
    fake.drains.add(DrainHostResponse.newBuilder().setHost("web-1").setDrained(true).build());
    Result result = drover("drain", "web-1");
    assertEquals(new Result(0, """
        web-1: drained, moving hello
          waiting for hello on web-3 pending
          waiting for hello on web-3 starting
        web-1: runs no app any more
        """, ""), result);
    assertEquals(1, fake.drainCalls.get(), "drained once, then followed on one stream");
    assertEquals(1, fake.watchDrainCalls.get());
  }

  @Test
  void drainPastItsDeadlineExitsThreeAndSaysWhy() {
    fake.drains.add(DrainHostResponse.newBuilder().setHost("web-1").setDrained(true)
        .addApps(DrainingApp.newBuilder().setApp("hello").setWaitingFor("a replacement host")).build());
    Result result = drover("drain", "web-1", "--deadline", "1s");
    assertEquals(3, result.status());
    assertEquals("web-1: drained, moving hello\n  waiting for hello on a replacement host\n", result.out());
    assertEquals("drover: web-1: still runs hello after 1s (waiting for hello on a replacement host); the host stays drained\n",
        result.err());
  }

  @Test
  void drainOfAnUnknownHostAndUndrain() {
    assertEquals(new Result(1, "", "drover: host db-9 not found\n"), drover("drain", "db-9"));
    assertEquals(new Result(0, "web-1: eligible for placement again\n", ""), drover("undrain", "web-1"));
    assertEquals(List.of("web-1"), fake.undrained);
  }

  @Test
  void hostsShowsADrainedHost() throws Exception {
    fake.hosts.add(Host.newBuilder().setName("web-1").setState("up").setDrained(true).build());
    Result table = drover("hosts");
    assertTrue(table.out().lines().skip(1).findFirst().orElseThrow().matches("web-1\\s+up,drained\\s.*"), table.out());
    assertTrue(JSON.readTree(drover("hosts", "-o", "json").out()).get(0).get("drained").asBoolean());
  }
}
