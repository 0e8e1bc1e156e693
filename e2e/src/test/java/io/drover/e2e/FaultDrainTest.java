package io.drover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drover drain} of a host running one of a {@code count: 2} app's instances on 3 hosts,
 * under traffic to all three: the instance starts on the spare host first and stops on the drained
 * one only then, so no request fails where the app is placed (the survivor throughout, the drained
 * host until its replacement ran, the spare from then on).
 */
class FaultDrainTest {
  @Test
  void drainingAHostMovesItsInstanceWithZeroFailedRequests(@TempDir Path tmp) {
    try (FaultScenario s = FaultScenario.start(tmp, "fault-drain", 3)) {
      Path spec = Examples.copy("hello", tmp.resolve("hello"));
      Examples.edit(spec, "count: 2}", "count: 2}\nupdate: {min_healthy: 1s}");
      s.fleet.cli("apply", "-f", spec.toString(), "--wait").requireSuccess();
      List<Fleet.Agent> placed = new ArrayList<>();
      Fleet.Agent spare = null;
      Set<String> before = instanceHosts(s);
      for (Fleet.Agent a : s.hosts) {
        if (before.contains(a.name)) {
          placed.add(a);
        } else {
          spare = a;
        }
      }
      assertEquals(2, placed.size(), "instances on " + before);
      Fleet.Agent drained = placed.get(0);
      Fleet.Agent survivor = placed.get(1);

      FaultLoad.Summary traffic;
      try (FaultLoad load = s.load()) {
        s.fleet.cli("drain", drained.name).requireSuccess();
        Await.until(Duration.ofSeconds(30), "the drained host's agent to have removed hello",
            () -> !s.logLines(drained.name, "event=instance_removed app=hello").isEmpty());
        traffic = load.stop();
      }

      Instant replaced = FaultScenario.loggedAt(
          s.logLines(spare.name, "event=instance_running app=hello revision=1 ").getFirst());
      Instant removed = FaultScenario.loggedAt(s.logLines(drained.name, "event=instance_removed app=hello").getFirst());
      assertTrue(replaced.isBefore(removed), "the replacement ran before the drained instance stopped");
      List<FaultLoad.Failure> wrong = new ArrayList<>();
      for (FaultLoad.Failure f : traffic.failures()) {
        boolean drainedAfterHandover = f.port() == drained.ingressPort && f.at().isAfter(replaced);
        boolean spareBeforeReplacement = f.port() == spare.ingressPort && f.at().isBefore(replaced);
        if (!drainedAfterHandover && !spareBeforeReplacement) {
          wrong.add(f);
        }
      }
      System.out.println("Drain of a count: 2 host under load: " + traffic.requests() + " requests, "
          + wrong.size() + " failed where hello was placed (" + (traffic.failures().size() - wrong.size())
          + " 404s from hosts it was not on), slowest " + traffic.slowestMillis() + " ms; replacement running "
          + Duration.between(replaced, removed).toMillis() + " ms before the drained instance was removed");
      assertEquals(List.of(), wrong, "failed requests where hello was placed (" + traffic + ")");
      assertEquals(Set.of(survivor.name, spare.name), instanceHosts(s));
      assertEquals(FaultScenario.OLD, survivor.get("hello.local", "/").body());
      assertEquals(FaultScenario.OLD, spare.get("hello.local", "/").body());
      assertEquals(404, drained.get("hello.local", "/").status(), "hello left the drained host");
      JsonNode host = hostNamed(s, drained.name);
      assertTrue(host.path("drained").asBoolean(), host.toString());
      assertEquals(List.of(1L), s.historyRevisions());
    }
  }

  private static Set<String> instanceHosts(FaultScenario s) {
    Set<String> hosts = new TreeSet<>();
    s.status().path("instances").forEach(i -> hosts.add(i.path("host").asText()));
    return hosts;
  }

  private static JsonNode hostNamed(FaultScenario s, String name) {
    for (JsonNode h : s.fleet.json("hosts", "-o", "json")) {
      if (h.path("name").asText().equals(name)) {
        return h;
      }
    }
    throw new AssertionError("no host " + name);
  }
}
