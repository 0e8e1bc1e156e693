package io.drover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release whose app raises at import: the rollout stops at its first host and reverts, and every
 * host keeps serving the old greeting throughout.
 */
class FaultBrokenReleaseTest {
  @Test
  void releaseThatRaisesAtImportStopsAtTheFirstHostAndReverts(@TempDir Path tmp) {
    try (FaultScenario s = FaultScenario.start(tmp, "fault-broken", 3)) {
      Path spec = s.hello("{max_parallel: 1, min_healthy: 1s}");
      s.applyAndAwaitServed(spec, FaultScenario.OLD);

      Examples.edit(spec.resolveSibling("app/app.py"), "app = Flask(__name__)",
          "raise RuntimeError(\"boom\")\napp = Flask(__name__)");
      Drover.Result apply;
      FaultLoad.Summary traffic;
      try (FaultLoad load = s.load()) {
        apply = s.fleet.cli("apply", "-f", spec.toString(), "--wait");
        traffic = load.stop();
      }

      System.out.println("Broken release under load: " + traffic);
      assertNotEquals(0, apply.exit(), "apply --wait of a broken release: " + apply);
      assertEquals(List.of(), traffic.failures(), "failed requests (" + traffic + ")");
      traffic.bodies().forEach((port, bodies) ->
          assertEquals(List.of(FaultScenario.OLD), bodies, "ingress " + port + " served only the old greeting"));

      JsonNode rollout = s.fleet.json("rollout", "status", "hello", "-o", "json");
      assertEquals(2, rollout.path("revision").asLong(), rollout.toString());
      assertEquals("reverted", rollout.path("state").asText(), rollout.toString());
      int tried = 0;
      for (Fleet.Agent a : s.hosts) {
        tried += s.logLines(a.name, "event=instance_starting app=hello revision=2 ").isEmpty() ? 0 : 1;
      }
      assertEquals(1, tried, "hosts that tried revision 2 before the rollout stopped");

      // the host that failed serves revision 1 again as it did all along; status must say so, not the failure
      Await.until(Duration.ofSeconds(20), "status to show revision 1 running and healthy on every host", () -> {
        JsonNode status = s.status();
        for (Fleet.Agent a : s.hosts) {
          JsonNode i = FaultScenario.instanceOn(status, a.name);
          if (i.path("revision").asLong() != 1 || !i.path("state").asText().equals("running")
              || !i.path("healthy").asBoolean()) {
            throw new IllegalStateException("status after the revert: " + i);
          }
        }
        return true;
      });
      for (Fleet.Agent a : s.hosts) {
        assertEquals(FaultScenario.OLD, a.get("hello.local", "/").body(), a.name);
      }
      assertEquals(List.of(1L, 2L), s.historyRevisions());
    }
  }
}
