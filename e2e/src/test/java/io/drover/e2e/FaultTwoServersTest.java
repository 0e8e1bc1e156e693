package io.drover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.agent.connect.ServerChannels;
import io.drover.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers on one database, agents given both addresses (server B first): an apply through
 * server A reaches the hosts connected to B; kill -9 of the leader (A) in the middle of a rolling
 * release: B takes the lease and completes the rollout, no host gets the revision twice. Then A
 * comes back and B is killed: the agents fail over to A, which serves the next apply.
 */
class FaultTwoServersTest {
  private static final String SECOND = "Hello through two servers\n";
  private static final String THIRD = "Hello after the agents failed over\n";

  @Test
  void anApplyThroughOneServerReachesAgentsOnTheOtherAndTheOtherTakesOverFromAKilledLeader(@TempDir Path tmp) {
    try (FaultScenario s = FaultScenario.start(tmp, "fault-two-servers", 0)) {
      Fleet fleet = s.fleet;
      Await.until(Duration.ofSeconds(30), "server A to lead", () -> !s.logLines("server", "event=leader_elected").isEmpty());
      Fleet.OtherServer b = fleet.startOtherServer("server-b");
      // each agent starts where its host name points in its list: put B there
      for (String host : List.of("web-1", "web-2")) {
        String servers = ServerChannels.startFor(host, 2) == 0 ? b.address() + "," + fleet.address()
            : fleet.address() + "," + b.address();
        s.hosts.add(fleet.startAgentDialing(host, "role=web", servers));
      }
      for (Fleet.Agent a : s.hosts) {
        assertFalse(s.logLines(a.name, "event=connected host=" + a.name + " server=" + b.address() + " ").isEmpty(),
            a.name + " is connected to server B");
      }

      // through A, to hosts on B: from A storing the revision to each host starting it (bundle fetched
      // through B and unpacked) and to both serving it, as the test sees it
      Path spec = s.hello("{max_parallel: 1, min_healthy: 3s}");
      fleet.cli("apply", "-f", spec.toString()).requireSuccess();
      Await.until(Duration.ofSeconds(60), "both hosts to serve hello",
          () -> s.hosts.stream().allMatch(a -> FaultScenario.OLD.equals(a.get("hello.local", "/").body())));
      Instant served = Instant.now();
      Instant applied = FaultScenario.loggedAt(s.logLines("server", "event=app_applied app=hello revision=1 ").getFirst());
      for (Fleet.Agent a : s.hosts) {
        Instant starting = FaultScenario.loggedAt(
            s.logLines(a.name, "event=instance_starting app=hello revision=1 ").getFirst());
        System.out.printf("Two servers: applied through A -> starting on %s (connected to B): %d ms%n", a.name,
            Duration.between(applied, starting).toMillis());
      }
      System.out.printf("Two servers: applied through A -> served on both hosts: %d ms (as polled by the test)%n",
          Duration.between(applied, served).toMillis());
      // served is not yet settled: the agent reports running once nginx's old workers stopped accepting
      Await.until(Duration.ofSeconds(30), "both instances to be reported running", () -> {
        JsonNode status = s.status();
        return status.path("instances").size() == 2 && s.hosts.stream().allMatch(a -> FaultScenario.instanceOn(status, a.name)
            .path("state").asText().equals("running"));
      });

      FaultLoad.Summary traffic;
      Instant killed;
      try (FaultLoad load = s.load()) {
        Examples.edit(spec, "Hello from drover", SECOND.strip());
        fleet.cliAt(b.address(), "apply", "-f", spec.toString()).requireSuccess();
        Await.until(Duration.ofSeconds(60), "the first host to be done", () -> {
          int done = 0;
          for (JsonNode h : fleet.json("rollout", "status", "hello", "-o", "json").path("hosts")) {
            done += h.path("step").asText().equals("done") ? 1 : 0;
          }
          return done >= 1;
        });
        fleet.killServer9();
        killed = Instant.now();
        Await.until(Duration.ofSeconds(60), "server B to take the lease",
            () -> !s.logLines("server-b", "event=leader_elected").isEmpty());
        Await.until(Duration.ofSeconds(90), "the rollout to end under server B", () -> !json(fleet, b, "rollout", "status",
            "hello", "-o", "json").path("state").asText().equals("running"));
        Await.until(Duration.ofSeconds(30), "both hosts to serve the second greeting",
            () -> s.hosts.stream().allMatch(a -> SECOND.equals(a.get("hello.local", "/").body())));
        traffic = load.stop();
      }
      Instant takeover = FaultScenario.loggedAt(s.logLines("server-b", "event=leader_elected").getFirst());
      System.out.println("Two servers: leader killed -> the other leads after "
          + Duration.between(killed, takeover).toMillis() + " ms (lease 15 s); rollout under load: " + traffic);
      assertEquals(List.of(), traffic.failures(), "failed requests (" + traffic + ")");
      FaultScenario.assertSwitched(traffic, FaultScenario.OLD, SECOND);
      assertEquals("succeeded", json(fleet, b, "rollout", "status", "hello", "-o", "json").path("state").asText());
      for (Fleet.Agent a : s.hosts) {
        assertEquals(1, s.logLines(a.name, "event=instance_starting app=hello revision=2 ").size(),
            a.name + " started revision 2 exactly once");
      }

      // A back, B gone: the agents fail over to A, which serves the next apply
      fleet.startServer();
      b.kill9();
      for (Fleet.Agent a : s.hosts) {
        Await.until(Duration.ofSeconds(60), a.name + " to fail over to server A", () -> !s.logLines(a.name,
            "event=connected host=" + a.name + " server=" + fleet.address() + " ").isEmpty());
      }
      Examples.edit(spec, SECOND.strip(), THIRD.strip());
      Examples.edit(spec, "min_healthy: 3s", "min_healthy: 1s");
      s.applyAndAwaitServed(spec, THIRD);
      assertEquals(List.of(1L, 2L, 3L), s.historyRevisions());
    }
  }

  private static JsonNode json(Fleet fleet, Fleet.OtherServer server, String... args) {
    Drover.Result r = fleet.cliAt(server.address(), args).requireSuccess();
    try {
      return Fleet.JSON.readTree(r.out());
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + r.out(), e);
    }
  }
}
