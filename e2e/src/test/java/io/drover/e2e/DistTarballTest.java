package io.drover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.testing.Await;
import io.drover.testing.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The release tarball: its layout, and its bin/drover running the version command and a server. */
class DistTarballTest {
  @TempDir static Path unpacked;
  static Path release;

  @BeforeAll
  static void unpack() {
    release = DistRelease.unpack(DistRelease.tarball(), unpacked);
  }

  @Test
  void holdsTheLauncherTheJarTheEnvironmentFilesAndTheUnits() {
    assertTrue(Files.isExecutable(release.resolve("bin/drover")), "bin/drover is executable");
    for (String file : List.of("lib/drover.jar", "conf/server.env", "conf/agent.env",
        "systemd/drover-server.service", "systemd/drover-agent.service")) {
      assertTrue(Files.isRegularFile(release.resolve(file)), file + " is in the tarball");
    }
  }

  @Test
  void environmentFilesNameWhatTheUnitsRead() throws IOException {
    String server = Files.readString(release.resolve("conf/server.env"));
    for (String var : List.of("DROVER_DATABASE_URL=", "DROVER_GRPC_LISTEN=", "DROVER_HTTP_LISTEN=", "DROVER_DATA_DIR=")) {
      assertTrue(server.lines().anyMatch(l -> l.startsWith(var)), "server.env sets " + var);
    }
    String agent = Files.readString(release.resolve("conf/agent.env"));
    for (String var : List.of("DROVER_SERVER=", "DROVER_NAME=", "DROVER_LABELS=", "DROVER_INGRESS=", "DROVER_DATA_DIR=", "DROVER_AGENT_ARGS=")) {
      assertTrue(agent.lines().anyMatch(l -> l.startsWith(var)), "agent.env sets " + var);
    }
  }

  @Test
  void printsItsVersion() {
    DistRelease.Result r = DistRelease.run(unpacked, 60, Map.of(), release.resolve("bin/drover").toString(), "--version")
        .requireSuccess("bin/drover --version");
    String version = DistRelease.releaseName(DistRelease.tarball()).substring("drover-".length());
    assertEquals("drover " + version, r.out().strip());
  }

  @Test
  void runsAServerThatAnswersHealthz() throws Exception {
    int grpcPort = freePort();
    int httpPort = freePort();
    try (TestDatabase db = TestDatabase.create()) {
      Path log = unpacked.resolve("server.log");
      Process server = new ProcessBuilder(
              release.resolve("bin/drover").toString(), "server",
              "--database-url", db.url(),
              "--grpc-listen", "127.0.0.1:" + grpcPort,
              "--http-listen", "127.0.0.1:" + httpPort,
              "--data-dir", unpacked.resolve("server-data").toString())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      try {
        Await.until(Duration.ofSeconds(60), "/healthz of the tarball's server on port " + httpPort, () -> {
          if (!server.isAlive()) {
            throw new AssertionError("server exited " + server.exitValue() + ":\n" + read(log));
          }
          return Http.get(httpPort, "127.0.0.1", "/healthz").status() == 200;
        });
      } finally {
        server.destroy();
        if (!server.waitFor(30, TimeUnit.SECONDS)) {
          server.destroyForcibly();
          throw new AssertionError("the server did not stop within 30 s of SIGTERM:\n" + read(log));
        }
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
