package io.drover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling release on 3 hosts under steady traffic: no request fails, the hosts move one at a
 * time, and the rollout ends succeeded with every host on the new revision.
 */
class FaultRollingReleaseTest {
  private static final String NEW = "Hello, rolled\n";

  @Test
  void rollingReleaseDropsNoRequestAndMovesOneHostAtATime(@TempDir Path tmp) {
    try (FaultScenario s = FaultScenario.start(tmp, "fault-rolling", 3)) {
      Path spec = s.hello("{max_parallel: 1, min_healthy: 1s}");
      s.applyAndAwaitServed(spec, FaultScenario.OLD);

      Examples.edit(spec, "Hello from drover", NEW.strip());
      List<JsonNode> samples = new ArrayList<>();
      FaultLoad.Summary traffic;
      try (FaultLoad load = s.load()) {
        Drover.Result apply = s.fleet.cli("apply", "-f", spec.toString());
        apply.requireSuccess();
        // sample the rollout as an operator watching it would, until it ends (bounded)
        for (int i = 0; i < 60; i++) {
          JsonNode rollout = s.fleet.json("rollout", "status", "hello", "-o", "json");
          samples.add(rollout);
          if (!rollout.path("state").asText().equals("running") && rollout.path("revision").asLong() == 2) {
            break;
          }
        }
        Await.until(Duration.ofSeconds(30), "every host to serve the new greeting",
            () -> s.hosts.stream().allMatch(a -> NEW.equals(a.get("hello.local", "/").body())));
        traffic = load.stop();
      }

      System.out.println("Rolling release under load (3 hosts, max_parallel 1, min_healthy 1s): " + traffic
          + "; bodies per ingress " + traffic.bodies());
      assertEquals(List.of(), traffic.failures(), "failed requests during the rollout (" + traffic + ")");
      FaultScenario.assertSwitched(traffic, FaultScenario.OLD, NEW);

      JsonNode last = samples.getLast();
      assertEquals("succeeded", last.path("state").asText(), last.toString());
      assertEquals(2, last.path("revision").asLong(), last.toString());
      for (JsonNode sample : samples) {
        long updating = 0;
        for (JsonNode h : sample.path("hosts")) {
          updating += h.path("step").asText().equals("updating") ? 1 : 0;
        }
        assertTrue(updating <= 1, "two hosts updating at once: " + sample);
      }
      assertOneHostAtATime(s);

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

  /** From the agents' logs: each host started revision 2 only after the previous one ran it. */
  private static void assertOneHostAtATime(FaultScenario s) {
    record Window(String host, Instant starting, Instant running) {}
    List<Window> windows = new ArrayList<>();
    for (Fleet.Agent a : s.hosts) {
      List<String> starting = s.logLines(a.name, "event=instance_starting app=hello revision=2 ");
      List<String> running = s.logLines(a.name, "event=instance_running app=hello revision=2 ");
      assertEquals(1, starting.size(), a.name + " started revision 2 once: " + starting);
      assertEquals(1, running.size(), a.name + " ran revision 2 once: " + running);
      windows.add(new Window(a.name, FaultScenario.loggedAt(starting.get(0)), FaultScenario.loggedAt(running.get(0))));
    }
    windows.sort(Comparator.comparing(Window::starting));
    for (int i = 1; i < windows.size(); i++) {
      Window before = windows.get(i - 1);
      Window next = windows.get(i);
      assertTrue(next.starting().isAfter(before.running().plusSeconds(1)),
          next.host() + " started before " + before.host() + " had run for min_healthy: " + windows);
    }
  }
}
