package io.drover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.testing.Await;
import io.drover.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples/django app (Debian's python3-django) on two sandboxed hosts, as a user deploys it:
 * collectstatic as its build, its static files served by nginx (in nginx's access log, never in
 * Gunicorn's), its worker process running on both hosts and shown by {@code drover status}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DjangoSystemTest {
  private static final List<String> HOSTS = List.of("web-1", "web-2");

  private TestDatabase db;
  private Fleet fleet;
  private Path spec;

  @BeforeAll
  void startFleet(@TempDir Path tmp) {
    db = TestDatabase.create();
    fleet = new Fleet(tmp.resolve("fleet"), db.url(), "django");
    fleet.startServer();
    fleet.startAgents(HOSTS, "role=web");
    spec = Examples.copy("django", tmp.resolve("django"));
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
  void theDjangoExampleServesItsPagesStaticFilesFromNginxAndRunsItsWorkerOnEveryHost() throws Exception {
    fleet.cli("apply", "-f", spec.toString(), "--wait").requireSuccess();
    String css = Files.readString(spec.getParent().resolve("app/shop/static/shop/site.css"));
    for (String host : HOSTS) {
      Fleet.Agent agent = fleet.agent(host);
      Http.Response page = agent.get("shop.local", "/");
      assertEquals(200, page.status(), host + ": " + page.body());
      assertTrue(page.body().contains("<h1>Shop</h1>"), page.body());
      Http.Response style = agent.get("shop.local", "/static/shop/site.css");
      assertEquals(200, style.status(), host + ": " + style.body());
      assertEquals(css, style.body());
      Path logs = agent.appsDir.resolve("logs/shop");
      assertTrue(Files.readString(logs.resolve("access.log")).contains("\"GET /static/shop/site.css HTTP/1."),
          host + ": the static file is in nginx's access log");
      assertFalse(Files.readString(logs.resolve("supervisor-1-stdout.log")).contains("/static/"),
          host + ": the static file never reached Gunicorn");
      Path worker = logs.resolve("process-1-worker-1-stdout.log");
      Await.until(Duration.ofSeconds(60), host + "'s worker started",
          () -> worker.toFile().length() > 0);
      assertTrue(Files.readString(worker).startsWith("worker started\n"), Files.readString(worker));
    }
    JsonNode status = fleet.json("status", "shop", "-o", "json");
    assertEquals(2, status.get("instances").size(), status.toString());
    for (JsonNode instance : status.get("instances")) {
      JsonNode worker = instance.get("processes").get(0);
      assertEquals("worker", worker.get("name").asText(), instance.toString());
      assertEquals(1, worker.get("running").asInt(), instance.toString());
      assertEquals(1, worker.get("wanted").asInt(), instance.toString());
    }
    String table = fleet.cli("status", "shop").requireSuccess().out();
    assertTrue(table.contains("worker 1/1"), table);
  }
}
