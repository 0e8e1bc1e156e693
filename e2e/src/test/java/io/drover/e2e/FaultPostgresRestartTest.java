package io.drover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.cli.dev.DatabaseAccount;
import io.drover.cli.dev.EmbeddedPostgres;
import io.drover.cli.dev.PostgresBinaries;
import io.drover.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped and started again while agents are connected, on a private PostgreSQL cluster
 * of this test (the machine's shared one stays up for other tests): while it is down the server
 * says so (/healthz 503, operator calls UNAVAILABLE with a clear reason) and the hosts keep serving;
 * once it is back the server recovers on its own: its LISTEN connection comes back and an apply
 * reaches every host.
 */
class FaultPostgresRestartTest {
  private static final String NEW = "Hello after the database came back\n";
  /** At the load's pace of one request every 20 ms, at least 10 s: longer than the heartbeat TTL. */
  private static final int REQUESTS_DURING_OUTAGE = 500;

  @Test
  void serverIsUnavailableWhileTheDatabaseIsDownAndRecoversByItself(@TempDir Path tmp) {
    PostgresBinaries binaries = PostgresBinaries.locate(PostgresBinaries.SYSTEM_ROOT, tmp.resolve("pg-binaries"));
    DatabaseAccount account = DatabaseAccount.forThisProcess();
    Path cluster = tmp.resolve("postgres");
    EmbeddedPostgres[] pg = {EmbeddedPostgres.start(binaries, account, cluster)};
    int port = pg[0].port();
    try (FaultScenario s = FaultScenario.start(tmp, "fault-postgres-restart", 2, pg[0].jdbcUrl())) {
      Path spec = s.hello("{min_healthy: 1s}");
      s.applyAndAwaitServed(spec, FaultScenario.OLD);

      FaultLoad.Summary traffic;
      try (FaultLoad load = s.load()) {
        pg[0].close(); // pg_ctl stop -m fast
        Await.until(Duration.ofSeconds(30), "/healthz to answer 503",
            () -> Http.get(s.fleet.httpPort(), "localhost", "/healthz").status() == 503);
        Drover.Result apps = s.fleet.cli("apps");
        assertEquals(1, apps.exit(), apps.toString());
        // the operator's token cannot be checked without the database: the call says so
        assertTrue(apps.err().contains("the database is unreachable, try again later"), apps.err());
        int sent = load.requests();
        Await.until(Duration.ofSeconds(60), "the outage to outlast the heartbeat TTL",
            () -> load.requests() >= sent + REQUESTS_DURING_OUTAGE);
        assertEquals(503, Http.get(s.fleet.httpPort(), "localhost", "/healthz").status(), "still down");

        pg[0] = EmbeddedPostgres.start(binaries, account, cluster, port);
        Await.until(Duration.ofSeconds(30), "/healthz to answer 200 again",
            () -> Http.get(s.fleet.httpPort(), "localhost", "/healthz").status() == 200);
        Await.until(Duration.ofSeconds(30), "the server to LISTEN again",
            () -> !s.logLines("server", "event=listen_reconnected").isEmpty());
        Await.until(Duration.ofSeconds(30), "both hosts to be up", () -> {
          int up = 0;
          for (JsonNode h : s.fleet.json("hosts", "-o", "json")) {
            up += h.path("state").asText().equals("up") ? 1 : 0;
          }
          return up == 2;
        });

        Examples.edit(spec, "Hello from drover", NEW.strip());
        s.applyAndAwaitServed(spec, NEW);
        traffic = load.stop();
      }

      System.out.println("PostgreSQL stop and start under load: " + traffic);
      assertEquals(List.of(), traffic.failures(), "failed requests (" + traffic + ")");
      FaultScenario.assertSwitched(traffic, FaultScenario.OLD, NEW);
      assertEquals(List.of(1L, 2L), s.historyRevisions());
      JsonNode status = s.status();
      for (Fleet.Agent a : s.hosts) {
        JsonNode i = FaultScenario.instanceOn(status, a.name);
        assertEquals(2, i.path("revision").asLong(), i.toString());
        assertEquals("running", i.path("state").asText(), i.toString());
      }
      assertTrue(s.logLines("server", "event=started").size() == 1, "the server was not restarted");
    } finally {
      pg[0].close();
    }
  }
}
