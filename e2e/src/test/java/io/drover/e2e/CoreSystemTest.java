package io.drover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.testing.Await;
import io.drover.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core loop end to end: a server and sandboxed agents as separate processes, real PostgreSQL,
 * nginx, supervisord and gunicorn. The steps build on each other, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CoreSystemTest {
  private static final Duration SERVED = Duration.ofSeconds(60);

  private Path tmp;
  private TestDatabase db;
  private Fleet fleet;
  private Path spec;

  @BeforeAll
  void startFleet(@TempDir Path tmp) {
    this.tmp = tmp;
    db = TestDatabase.create();
    fleet = new Fleet(tmp.resolve("fleet"), db.url(), "core");
    fleet.startServer();
    fleet.startAgent("web-1", "role=web");
    fleet.startAgent("web-2", "role=web");
    fleet.startAgent("worker-1", "role=worker");
    spec = Examples.copy("hello", tmp.resolve("hello"));
    // Rolling releases soak 1 s per host instead of the default 5 s, to keep the suite short.
    Examples.edit(spec, "count: 2}", "count: 2}\nupdate: {min_healthy: 1s}");
    // a route that fails, for the request metrics
    try {
      Files.writeString(tmp.resolve("hello/app/app.py"), """


          @app.route("/fail")
          def fail():
              return "failed\\n", 500
          """, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  void stopFleet() {
    if (fleet != null) {
      fleet.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  @Order(1)
  void hostsAreListedWithLabels() {
    JsonNode hosts = fleet.json("hosts", "-o", "json");
    assertTrue(hosts.isArray(), "hosts -o json prints a list");
    assertEquals(3, hosts.size());
    for (JsonNode h : hosts) {
      assertEquals("up", h.path("state").asText(), h.toString());
      assertFalse(h.path("lastSeen").asText().isEmpty(), h.toString());
    }
    assertEquals("worker", find(hosts, "worker-1").path("labels").path("role").asText());

    // one release: the CLI, the server and every agent report the same version
    List<String> versions = fleet.cli("version").requireSuccess().out().lines().toList();
    String version = versions.getFirst().replace("client: drover ", "");
    assertEquals(List.of("client: drover " + version, "server: drover " + version), versions);
    for (JsonNode h : hosts) {
      assertEquals(version, h.path("facts").path("agentVersion").asText(), h.toString());
    }
  }

  @Test
  @Order(2)
  void applyServesHelloOnBothWebHosts() {
    Drover.Result r = fleet.cli("apply", "-f", spec.toString(), "--wait").requireSuccess();
    assertTrue(r.out().contains("revision 1"), r.out());

    for (String web : List.of("web-1", "web-2")) {
      Http.Response res = fleet.agent(web).get("hello.local", "/");
      assertEquals(200, res.status(), web + ": " + res.body());
      assertEquals("Hello from drover\n", res.body(), web);
    }
    assertEquals(404, fleet.agent("worker-1").get("hello.local", "/").status(), "worker serves nothing");
    assertEquals(List.of(), helloPaths(fleet.agent("worker-1")), "worker has no files of hello");

    JsonNode status = fleet.json("status", "hello", "-o", "json");
    assertEquals("hello", status.path("app").asText());
    assertEquals(1, status.path("revision").asLong());
    JsonNode instances = status.path("instances");
    assertEquals(2, instances.size(), status.toString());
    for (JsonNode i : instances) {
      assertTrue(i.path("host").asText().startsWith("web-"), i.toString());
      assertEquals(1, i.path("revision").asLong(), i.toString());
      assertEquals("running", i.path("state").asText(), i.toString());
      assertTrue(i.path("healthy").asBoolean(), i.toString());
    }
  }

  @Test
  @Order(3)
  void requestMetricsCountWhatNginxAnswered() {
    // step 2 made one request to web-1 and one to web-2; the agent's own checks are not counted
    Await.until(SERVED, "step 2's request counted", () -> requests("2xx", "web-1") == 1);
    for (int i = 0; i < 30; i++) {
      assertEquals(200, fleet.agent("web-1").get("hello.local", "/").status());
    }
    for (int i = 0; i < 7; i++) {
      assertEquals(404, fleet.agent("web-1").get("hello.local", "/missing").status());
    }
    for (int i = 0; i < 5; i++) {
      assertEquals(500, fleet.agent("web-1").get("hello.local", "/fail").status());
    }
    Await.until(SERVED, "the loop counted", () -> requests("5xx", "web-1") == 5 && requests("4xx", "web-1") == 7
        && requests("2xx", "web-1") == 31);
    String metrics = Http.get(fleet.httpPort(), "localhost", "/metrics").body();
    List<String> lines = metrics.lines().toList();
    assertTrue(lines.contains("drover_app_requests_total{app=\"hello\",code=\"2xx\",host=\"web-2\"} 1.0"), metrics);
    assertTrue(lines.contains("drover_app_upstream_errors_total{app=\"hello\",host=\"web-1\"} 0.0"), metrics);
    assertTrue(lines.contains("drover_app_request_duration_seconds_count{app=\"hello\"} 44"), metrics);

    // drover top over the same figures: web-1's 5xx share is the loop's (step 2's request may fall before the window)
    JsonNode top = fleet.json("top", "hello", "-o", "json");
    JsonNode web1 = top.path("lines").get(0);
    assertEquals("web-1", web1.path("host").asText(), top.toString());
    assertEquals("web-2", top.path("lines").get(1).path("host").asText(), top.toString());
    assertTrue(web1.path("requestsPerSecond").asDouble() > 0, top.toString());
    double ratio = web1.path("errorRatio").asDouble();
    assertTrue(ratio >= 5.0 / 43 && ratio <= 5.0 / 42, top.toString());
    assertTrue(web1.path("workers").asInt() >= 1, top.toString());
  }

  /** drover_app_requests_total of hello on {@code host} for status class {@code code}, -1 while absent. */
  private double requests(String code, String host) {
    String series = "drover_app_requests_total{app=\"hello\",code=\"" + code + "\",host=\"" + host + "\"} ";
    return Http.get(fleet.httpPort(), "localhost", "/metrics").body().lines()
        .filter(l -> l.startsWith(series))
        .mapToDouble(l -> Double.parseDouble(l.substring(series.length())))
        .findFirst().orElse(-1);
  }

  @Test
  @Order(4)
  void identicalApplyChangesNothing() {
    Drover.Result r = fleet.cli("apply", "-f", spec.toString()).requireSuccess();
    assertTrue(r.out().contains("unchanged"), r.out());
    assertEquals(1, fleet.json("status", "hello", "-o", "json").path("revision").asLong());
  }

  @Test
  @Order(5)
  void changedGreetingIsServedAsRevisionTwo() {
    Examples.edit(spec, "Hello from drover", "Hello again");
    Drover.Result r = fleet.cli("apply", "-f", spec.toString(), "--wait").requireSuccess();
    assertTrue(r.out().contains("revision 2"), r.out());
    for (String web : List.of("web-1", "web-2")) {
      assertEquals("Hello again\n", fleet.agent(web).get("hello.local", "/").body(), web);
    }
    JsonNode status = fleet.json("status", "hello", "-o", "json");
    assertEquals(2, status.path("revision").asLong());
    status.path("instances").forEach(i -> assertEquals(2, i.path("revision").asLong(), i.toString()));
  }

  @Test
  @Order(6)
  void countAllFollowsANewMatchingHost() {
    Examples.edit(spec, "count: 2", "count: all");
    fleet.cli("apply", "-f", spec.toString(), "--wait").requireSuccess();
    Fleet.Agent web3 = fleet.startAgent("web-3", "role=web");
    Await.until(SERVED, "web-3 to serve hello with no further command",
        () -> "Hello again\n".equals(web3.get("hello.local", "/").body()));
    Await.until(SERVED, "status to show 3 running instances", () -> {
      JsonNode instances = fleet.json("status", "hello", "-o", "json").path("instances");
      int running = 0;
      for (JsonNode i : instances) {
        running += "running".equals(i.path("state").asText()) && i.path("healthy").asBoolean() ? 1 : 0;
      }
      return running == 3;
    });
  }

  @Test
  @Order(7)
  void killedAgentsAppKeepsServingAndIsAdoptedOnRestart() {
    Fleet.Agent web1 = fleet.agent("web-1");
    long master = Processes.gunicornMaster(web1.dataDir.toString()).orElseThrow(
        () -> new AssertionError("no gunicorn master under " + web1.dataDir));

    web1.kill9();
    fleet.awaitHostState("web-1", "down");
    assertEquals("Hello again\n", web1.get("hello.local", "/").body(), "serves while its agent is dead");

    long revision = fleet.json("status", "hello", "-o", "json").path("revision").asLong();
    web1.start();
    fleet.awaitHostState("web-1", "up");
    Await.until(SERVED, "web-1 to report hello running again", () -> {
      for (JsonNode i : fleet.json("status", "hello", "-o", "json").path("instances")) {
        if (i.path("host").asText().equals("web-1")) {
          return i.path("state").asText().equals("running") && i.path("healthy").asBoolean()
              && i.path("revision").asLong() == revision;
        }
      }
      return false;
    });
    assertEquals(master, Processes.gunicornMaster(web1.dataDir.toString()).orElse(-1L),
        "the restarted agent adopted gunicorn instead of restarting it");
    assertEquals("Hello again\n", web1.get("hello.local", "/").body());
  }

  @Test
  @Order(8)
  void deleteLeavesNothingOfHelloOnAnyHost() {
    fleet.cli("delete", "hello", "--wait").requireSuccess();
    for (String name : List.of("web-1", "web-2", "web-3", "worker-1")) {
      Fleet.Agent a = fleet.agent(name);
      assertEquals(404, a.get("hello.local", "/").status(), name + " no longer serves hello");
      assertEquals(List.of(), helloPaths(a), name + " keeps no config or release of hello");
      assertEquals(List.of(), Processes.matching("gunicorn", a.dataDir.toString()), name + " runs no gunicorn");
    }
    JsonNode apps = fleet.json("apps", "-o", "json");
    for (JsonNode app : apps) {
      assertFalse(app.path("name").asText().equals("hello"), "hello is not listed: " + apps);
    }
  }

  private static JsonNode find(JsonNode hosts, String name) {
    for (JsonNode h : hosts) {
      if (h.path("name").asText().equals(name)) {
        return h;
      }
    }
    throw new AssertionError("no host " + name + " in " + hosts);
  }

  /** Files and directories of the agent whose path names hello (configs, programs, releases, logs). */
  private static List<String> helloPaths(Fleet.Agent a) {
    try (Stream<Path> all = Stream.of(a.dataDir, a.appsDir, a.sandboxDir).flatMap(CoreSystemTest::walk)) {
      return all.map(Path::toString)
          .filter(p -> p.substring(p.lastIndexOf('/') + 1).contains("hello")
              || p.contains("/hello/"))
          .toList();
    }
  }

  private static Stream<Path> walk(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Stream.empty();
    }
    try {
      return Files.walk(dir).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
