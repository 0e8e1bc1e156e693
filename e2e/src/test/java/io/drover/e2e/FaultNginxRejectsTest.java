package io.drover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release that passes every spec rule but that the host's nginx refuses: here because a file an
 * operator dropped into the agent's site directory claims the ingress's default server, which
 * nginx allows only once per address. Nothing in the spec can rule that out, since it is the host's
 * own configuration. nginx keeps its running configuration, the agent puts its server block back,
 * the old release keeps serving, and {@code drover status} shows nginx's own message.
 */
class FaultNginxRejectsTest {
  @Test
  void releaseRefusedByNginxKeepsTheOldConfigServingAndReportsNginxsMessage(@TempDir Path tmp) {
    try (FaultScenario s = FaultScenario.start(tmp, "fault-nginx-rejects", 2)) {
      // no revert, so the refusal stays visible in status instead of being replaced by the old revision
      Path spec = s.hello("{max_parallel: 1, min_healthy: 1s, auto_revert: false}");
      s.applyAndAwaitServed(spec, FaultScenario.OLD);
      List<String> sitesBefore = new ArrayList<>();
      for (Fleet.Agent a : s.hosts) {
        Path sites = a.sandboxDir.resolve("nginx/sites");
        write(sites.resolve("operator-default.conf"),
            "server {\n  listen 127.0.0.1:" + a.ingressPort + " default_server;\n  return 444;\n}\n");
        sitesBefore.add(read(sites.resolve("drover-hello.conf")));
      }

      Examples.edit(spec, "Hello from drover", "Hello, refused");
      Drover.Result apply;
      FaultLoad.Summary traffic;
      try (FaultLoad load = s.load()) {
        apply = s.fleet.cli("apply", "-f", spec.toString(), "--wait");
        traffic = load.stop();
      }

      System.out.println("Release refused by nginx under load: " + traffic);
      assertNotEquals(0, apply.exit(), "apply --wait of a release nginx refuses: " + apply);
      assertEquals(List.of(), traffic.failures(), "failed requests (" + traffic + ")");
      traffic.bodies().forEach((port, bodies) ->
          assertEquals(List.of(FaultScenario.OLD), bodies, "ingress " + port + " served only the old greeting"));

      JsonNode status = s.status();
      assertEquals("failed", status.path("rollout").path("state").asText(), status.toString());
      int refused = 0;
      for (int n = 0; n < s.hosts.size(); n++) {
        Fleet.Agent a = s.hosts.get(n);
        JsonNode i = FaultScenario.instanceOn(status, a.name);
        if (i.path("revision").asLong() == 2) {
          refused++;
          assertEquals("failed", i.path("state").asText(), i.toString());
          assertTrue(i.path("reason").asText().contains("a duplicate default server for 127.0.0.1:" + a.ingressPort),
              "status names nginx's message: " + i);
        } else {
          assertEquals(1, i.path("revision").asLong(), i.toString());
          assertEquals("running", i.path("state").asText(), i.toString());
        }
        assertEquals(sitesBefore.get(n), read(a.sandboxDir.resolve("nginx/sites/drover-hello.conf")),
            a.name + "'s server block of hello is the old one");
        assertEquals(FaultScenario.OLD, a.get("hello.local", "/").body(), a.name);
      }
      assertEquals(1, refused, "hosts that tried revision 2 before the rollout stopped: " + status);
      assertEquals(List.of(1L, 2L), s.historyRevisions());
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
