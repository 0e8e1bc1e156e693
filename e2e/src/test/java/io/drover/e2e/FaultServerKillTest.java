package io.drover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the server in the middle of a rolling release, then a restart on the same ports and
 * database: the rollout completes, no host gets the new revision twice, and no request fails.
 */
class FaultServerKillTest {
  private static final String NEW = "Hello after a crash\n";

  @Test
  void rolloutResumesAfterTheServerIsKilledAndRestarted(@TempDir Path tmp) {
    try (FaultScenario s = FaultScenario.start(tmp, "fault-server-kill", 3)) {
      Path spec = s.hello("{max_parallel: 1, min_healthy: 3s}");
      s.applyAndAwaitServed(spec, FaultScenario.OLD);

      Examples.edit(spec, "Hello from drover", NEW.strip());
      FaultLoad.Summary traffic;
      try (FaultLoad load = s.load()) {
        s.fleet.cli("apply", "-f", spec.toString()).requireSuccess();
        Await.until(Duration.ofSeconds(60), "the first host to be done", () -> {
          int done = 0;
          for (JsonNode h : s.fleet.json("rollout", "status", "hello", "-o", "json").path("hosts")) {
            done += h.path("step").asText().equals("done") ? 1 : 0;
          }
          return done >= 1;
        });
        s.fleet.killServer9();
        s.fleet.startServer();
        Await.until(Duration.ofSeconds(90), "the rollout to end after the restart", () -> {
          JsonNode rollout = s.fleet.json("rollout", "status", "hello", "-o", "json");
          return !rollout.path("state").asText().equals("running");
        });
        Await.until(Duration.ofSeconds(30), "every host to serve the new greeting",
            () -> s.hosts.stream().allMatch(a -> NEW.equals(a.get("hello.local", "/").body())));
        traffic = load.stop();
      }

      System.out.println("Server kill -9 mid-rollout under load: " + traffic);
      assertEquals(List.of(), traffic.failures(), "failed requests (" + traffic + ")");
      JsonNode rollout = s.fleet.json("rollout", "status", "hello", "-o", "json");
      assertEquals("succeeded", rollout.path("state").asText(), rollout.toString());
      for (Fleet.Agent a : s.hosts) {
        assertEquals(1, s.logLines(a.name, "event=instance_starting app=hello revision=2 ").size(),
            a.name + " started revision 2 exactly once");
      }
      JsonNode status = s.status();
      assertEquals(2, status.path("revision").asLong());
      for (Fleet.Agent a : s.hosts) {
        JsonNode i = FaultScenario.instanceOn(status, a.name);
        assertEquals(2, i.path("revision").asLong(), i.toString());
        assertEquals("running", i.path("state").asText(), i.toString());
      }
      assertEquals(List.of(1L, 2L), s.historyRevisions());
    }
  }
}
