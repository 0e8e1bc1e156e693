package io.drover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host whose supervisord stops answering (SIGSTOP) while its app's health path hangs stays up at
 * the server, and its {@code count: 1} instance is not moved to the other host: the agent's
 * heartbeats do not wait for anything on the host. With the server's defaults a host is down 10 s
 * after its last heartbeat (the TTL) and its apps are placed elsewhere 30 s later; supervisord's
 * calls give up after 30 s, so an agent whose heartbeats waited on them would be down within 25 s.
 * The host is watched, and must be up at every look, for at least twice the TTL and until the agent
 * has shown that it met both: it reported the app unhealthy, and a metrics sample failed waiting for
 * supervisord.
 */
class AgentLivenessTest {
  /** The server's default heartbeat TTL. */
  private static final Duration HEARTBEAT_TTL = Duration.ofSeconds(10);
  /** At most how long the agent takes to show both hangs: supervisord's 30 s call timeout, plus a metrics interval. */
  private static final Duration HANGS_SHOWN = Duration.ofSeconds(120);

  @Test
  void aHostWithAHungSupervisordAndAHungAppStaysUpAndKeepsItsInstance(@TempDir Path tmp) throws IOException {
    try (FaultScenario s = FaultScenario.start(tmp, "agent-liveness", 2)) {
      Path hang = s.fleet.dir().resolve("hang-healthz");
      s.fleet.cli("apply", "-f", hangingApp(tmp.resolve("hello"), hang).toString(), "--wait").requireSuccess();
      String host = instanceHosts(s).getFirst();
      Fleet.Agent stuck = s.fleet.agent(host);
      long supervisord = Long.parseLong(
          Files.readString(stuck.sandboxDir.resolve("supervisor/supervisord.pid")).strip());

      signal(supervisord, "STOP");
      try {
        Files.createFile(hang);
        long since = System.nanoTime();
        Await.until(HANGS_SHOWN, "the agent on " + host + " to report hello unhealthy and a metrics sample to fail "
            + "on its stopped supervisord, while the host stays up", () -> {
              String state = hostState(s, host);
              if (!state.equals("up")) {
                throw new AssertionError(host + " is " + state + " after "
                    + Duration.ofNanos(System.nanoTime() - since).toSeconds() + " s with its supervisord stopped");
              }
              return System.nanoTime() - since > HEARTBEAT_TTL.multipliedBy(2).toNanos()
                  && !s.logLines(host, "event=health_changed app=hello revision=1 healthy=false").isEmpty()
                  && s.logLines(host, "event=metrics_failed").stream().anyMatch(l -> l.contains("supervisord"));
            });
      } finally {
        signal(supervisord, "CONT");
        Files.deleteIfExists(hang);
      }

      assertEquals(List.of(host), instanceHosts(s), "hello was not moved off " + host);
      assertEquals("running", FaultScenario.instanceOn(s.status(), host).path("state").asText());
    }
  }

  /** A copy of examples/hello on one host, whose /healthz hangs while the file {@code hang} exists. */
  private static Path hangingApp(Path dir, Path hang) throws IOException {
    Path spec = Examples.copy("hello", dir);
    Files.writeString(dir.resolve("app/app.py"), """
        import os
        import time

        from flask import Flask

        app = Flask(__name__)


        @app.route("/")
        def index():
            return os.environ.get("GREETING", "Hello") + "\\n"


        @app.route("/healthz")
        def healthz():
            while os.path.exists(os.environ["HANG_SWITCH"]):
                time.sleep(1)
            return "ok\\n"
        """);
    Examples.edit(spec, "env: {GREETING: \"Hello from drover\"}",
        "env: {GREETING: \"Hello from drover\", HANG_SWITCH: \"" + hang + "\"}");
    Examples.edit(spec, "count: 2}", "count: 1}\nupdate: {min_healthy: 1s}");
    return spec;
  }

  private static String hostState(FaultScenario s, String name) {
    for (JsonNode h : s.fleet.json("hosts", "-o", "json")) {
      if (h.path("name").asText().equals(name)) {
        return h.path("state").asText();
      }
    }
    return "not listed";
  }

  private static List<String> instanceHosts(FaultScenario s) {
    List<String> hosts = new ArrayList<>();
    s.status().path("instances").forEach(i -> hosts.add(i.path("host").asText()));
    return hosts.stream().sorted().toList();
  }

  private static void signal(long pid, String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new AssertionError("kill -" + signal + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted sending " + signal + " to " + pid, e);
    }
  }
}
