package io.drover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./drover dev} from a clean data dir, as this machine's user (root in CI) and as an
 * unprivileged user: the printed address serves the greeting, {@code drover status} works with no
 * flags, and Ctrl-C leaves nothing running.
 */
class DevSystemTest {
  static final String UNPRIVILEGED = "drover-dev-test";
  static final Duration SERVED_WITHIN = Duration.ofSeconds(60);

  @BeforeAll
  static void buildOnce() {
    Drover.run(600, "--version").requireSuccess(); // the launcher builds here, not as the unprivileged user
  }

  @Test
  void devServesHelloAndStopsEverythingOnCtrlC(@TempDir Path tmp) throws IOException {
    Path home = Files.createDirectories(tmp.resolve("home"));
    check(null, home, tmp.resolve("state"), tmp.resolve("dev.log"));
  }

  @Test
  void devWorksForAnUnprivilegedUser(@TempDir Path tmp) throws Exception {
    ensureUser();
    Path home = Path.of("/home", UNPRIVILEGED);
    Path work = Files.createDirectories(home.resolve("dev-test-" + System.nanoTime()));
    chown(work);
    try {
      check(UNPRIVILEGED, home, work.resolve("state"), tmp.resolve("dev.log"));
    } finally {
      run(List.of("rm", "-rf", work.toString(), home.resolve(".config/drover").toString()));
    }
  }

  private static void check(String user, Path home, Path dataDir, Path log) {
    try (DevRun dev = DevRun.start(user, home, dataDir, log)) {
      int port = dev.awaitServedPort(SERVED_WITHIN);
      Await.until(SERVED_WITHIN, "the greeting on 127.0.0.1:" + port,
          () -> "Hello from drover\n".equals(Http.get(port, "hello.local", "/").body()));

      Drover.Result status = dev.cli("status", "hello", "-o", "json").requireSuccess();
      JsonNode json = readJson(status.out());
      assertEquals("hello", json.get("app").asText());
      assertEquals("running", json.get("instances").get(0).get("state").asText(), status.out());
      assertTrue(json.get("instances").get(0).get("healthy").asBoolean(), status.out());

      long java = dev.javaPid();
      assertFalse(dev.leftovers().isEmpty(), "dev runs its daemons under its data dir");
      dev.interrupt(Duration.ofSeconds(60));
      assertFalse(Processes.alive(java), "the java process is gone");
      assertEquals(List.of(), dev.leftovers(), "processes under " + dataDir + " after Ctrl-C\n" + dev.output());
      assertTrue(dev.output().contains("drover dev: stopped"), dev.output());
    }
  }

  private static JsonNode readJson(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private static void ensureUser() {
    if (run(List.of("id", "-u", UNPRIVILEGED)) != 0) {
      assertEquals(0, run(List.of("useradd", "--system", "--create-home", "--home-dir", "/home/" + UNPRIVILEGED,
          "--shell", "/bin/bash", UNPRIVILEGED)), "useradd " + UNPRIVILEGED);
    }
  }

  private static void chown(Path path) {
    assertEquals(0, run(List.of("chown", "-R", UNPRIVILEGED + ":", path.toString())), "chown " + path);
  }

  private static int run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).inheritIO().start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(cmd + " did not finish in 60 s");
      }
      return p.exitValue();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
