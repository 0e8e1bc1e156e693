package io.drover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of an agent in the middle of a deployment (its new gunicorn started, not yet switched
 * to), then a restart: no torn or temp file is left, the host ends on the new revision, and an app
 * that did not change keeps its gunicorn.
 */
class FaultAgentKillTest {
  private static final String NEW = "Hello after an agent crash\n";

  @Test
  void agentKilledMidDeployLeavesNoHalfWrittenFileAndFinishesOnRestart(@TempDir Path tmp) {
    try (FaultScenario s = FaultScenario.start(tmp, "fault-agent-kill", 1)) {
      Fleet.Agent host = s.hosts.get(0);
      Path other = Examples.copy("hello", tmp.resolve("other"));
      Examples.edit(other, "name: hello", "name: other");
      Examples.edit(other, "hello.local", "other.local");
      Examples.edit(other, "count: 2", "count: all");
      s.fleet.cli("apply", "-f", other.toString(), "--wait").requireSuccess();
      Path spec = s.hello("{min_healthy: 1s}");
      s.applyAndAwaitServed(spec, FaultScenario.OLD);
      long otherMaster = Processes.gunicornMaster(host.appsDir.resolve("releases/other") + "/")
          .orElseThrow(() -> new AssertionError("no gunicorn master of app other under " + host.dataDir));

      // a slow-booting release, so that the kill lands while the agent waits for its health check
      Examples.edit(spec, "Hello from drover", NEW.strip());
      Examples.edit(spec.resolveSibling("app/app.py"), "app = Flask(__name__)",
          "import time\ntime.sleep(3)\napp = Flask(__name__)");
      FaultLoad.Summary traffic;
      try (FaultLoad load = s.load()) {
        s.fleet.cli("apply", "-f", spec.toString()).requireSuccess();
        Await.until(Duration.ofSeconds(60), "web-1 to start revision 2 of hello",
            () -> !s.logLines(host.name, "event=instance_starting app=hello revision=2 ").isEmpty());
        host.kill9();

        assertEquals(List.of(), filesNamed(host, ".tmp"), "temp files left by the killed agent");
        assertNginxAccepts(host);

        host.start();
        s.fleet.awaitHostState(host.name, "up");
        Await.until(Duration.ofSeconds(60), "web-1 to serve the new greeting",
            () -> NEW.equals(host.get("hello.local", "/").body()));
        Await.until(Duration.ofSeconds(30), "status to show revision 2 running on web-1", () -> {
          JsonNode i = FaultScenario.instanceOn(s.status(), host.name);
          return i.path("revision").asLong() == 2 && i.path("state").asText().equals("running");
        });
        traffic = load.stop();
      }

      System.out.println("Agent kill -9 mid-deploy under load: " + traffic);
      assertEquals(List.of(), traffic.failures(), "failed requests (" + traffic + ")");
      FaultScenario.assertSwitched(traffic, FaultScenario.OLD, NEW);
      assertEquals(List.of(), filesNamed(host, ".tmp"), "temp files after the restart");
      assertNginxAccepts(host);
      assertEquals(otherMaster, Processes.gunicornMaster(host.appsDir.resolve("releases/other") + "/").orElse(-1L),
          "app other, which did not change, kept its gunicorn");
      Await.until(Duration.ofSeconds(30), "one gunicorn master of hello left (revision 2)", () -> {
        List<String> masters = Processes.matching("gunicorn", host.appsDir.resolve("releases/hello") + "/").stream()
            .filter(pid -> Processes.commandLine(Processes.parent(pid)).orElse("").contains("supervisord"))
            .map(pid -> Processes.commandLine(pid).orElse("")).toList();
        return masters.size() == 1 && masters.get(0).contains("gunicorn-2.conf.py");
      });
      assertEquals("Hello from drover\n", host.get("other.local", "/").body(), "app other still serves");
      assertEquals(List.of(1L, 2L), s.historyRevisions());
    }
  }

  /** The agent's nginx configuration, every site included, as nginx itself checks it. */
  private static void assertNginxAccepts(Fleet.Agent host) {
    Path ngx = host.sandboxDir.resolve("nginx");
    try {
      Process p = new ProcessBuilder("/usr/sbin/nginx", "-t", "-p", ngx.toString(), "-c", ngx.resolve("nginx.conf").toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), "nginx -t of " + host.name + "'s configuration: " + out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Files under the agent's data, apps and sandbox dirs whose names end with {@code suffix}. */
  private static List<String> filesNamed(Fleet.Agent host, String suffix) {
    try (Stream<Path> data = Files.walk(host.dataDir); Stream<Path> apps = Files.walk(host.appsDir);
        Stream<Path> sandbox = Files.walk(host.sandboxDir)) {
      return Stream.of(data, apps, sandbox).flatMap(s -> s).map(Path::toString).filter(p -> p.endsWith(suffix)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
