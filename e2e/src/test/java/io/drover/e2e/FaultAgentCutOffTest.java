package io.drover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One agent cut off from the server by a blackholing TCP proxy for longer than the heartbeat TTL
 * and grace (10 s + 30 s by default): the server marks the host down and places its {@code count: 2}
 * instance on a spare host, the cut-off host keeps serving, and its agent notices the dead
 * connection through keepalive. When the cut heals the agent reconnects, the surplus instance (the
 * cut-off host's) is removed and the survivor's gunicorn is not disturbed: exactly 2 again.
 */
class FaultAgentCutOffTest {
  @Test
  void aCutOffHostsInstanceIsReplacedAndTheSurplusRemovedWhenItReturns(@TempDir Path tmp) {
    try (FaultScenario s = FaultScenario.start(tmp, "fault-agent-cut-off", 0);
        CuttableProxy proxy = CuttableProxy.to(s.fleet.grpcPort())) {
      Fleet.Agent cutOff = s.fleet.startAgentDialing("web-1", "role=web", proxy.address());
      Fleet.Agent survivor = s.fleet.startAgent("web-2", "role=web");
      Path spec = Examples.copy("hello", tmp.resolve("hello"));
      Examples.edit(spec, "count: 2}", "count: 2}\nupdate: {min_healthy: 1s}");
      s.fleet.cli("apply", "-f", spec.toString(), "--wait").requireSuccess();
      Fleet.Agent spare = s.fleet.startAgent("web-3", "role=web");
      assertEquals(Set.of("web-1", "web-2"), instanceHosts(s));
      long survivorMaster = gunicornMaster(survivor);

      FaultLoad.Summary traffic;
      try (FaultLoad load = FaultScenario.load(List.of(cutOff, survivor))) {
        proxy.cut();
        s.fleet.awaitHostState(cutOff.name, "down");
        Await.until(Duration.ofSeconds(90), "hello to run on the spare host web-3", () -> {
          JsonNode i = instance(s, spare.name);
          return i != null && i.path("state").asText().equals("running") && i.path("healthy").asBoolean();
        });
        Await.until(Duration.ofSeconds(60), "web-1's agent to notice the dead connection (keepalive)",
            () -> !s.logLines(cutOff.name, "Keepalive failed").isEmpty());
        traffic = load.stop();
      }
      assertEquals(FaultScenario.OLD, spare.get("hello.local", "/").body(), "the replacement serves");

      proxy.heal();
      s.fleet.awaitHostState(cutOff.name, "up");
      Await.until(Duration.ofSeconds(60), "the surplus instance on web-1 to be removed",
          () -> instanceHosts(s).equals(Set.of("web-2", "web-3")));
      Await.until(Duration.ofSeconds(30), "web-1 to stop serving hello",
          () -> cutOff.get("hello.local", "/").status() == 404);

      System.out.println("Agent cut off past TTL + grace, traffic to the cut-off host and the survivor: " + traffic);
      assertEquals(List.of(), traffic.failures(), "failed requests while cut off (" + traffic + ")");
      assertEquals(survivorMaster, gunicornMaster(survivor), "the survivor's gunicorn was not restarted");
      assertEquals(FaultScenario.OLD, survivor.get("hello.local", "/").body());
      assertEquals(FaultScenario.OLD, spare.get("hello.local", "/").body());
      assertEquals(List.of(1L), s.historyRevisions(), "no new revision");
      assertEquals(2, s.logLines(cutOff.name, "event=connected").size(), "web-1 connected again after the cut");
    }
  }

  private static long gunicornMaster(Fleet.Agent host) {
    return Processes.gunicornMaster(host.appsDir.resolve("releases/hello") + "/")
        .orElseThrow(() -> new AssertionError("no gunicorn master of hello on " + host.name));
  }

  private static Set<String> instanceHosts(FaultScenario s) {
    Set<String> hosts = new TreeSet<>();
    s.status().path("instances").forEach(i -> hosts.add(i.path("host").asText()));
    return hosts;
  }

  private static JsonNode instance(FaultScenario s, String host) {
    for (JsonNode i : s.status().path("instances")) {
      if (i.path("host").asText().equals(host)) {
        return i;
      }
    }
    return null;
  }
}
