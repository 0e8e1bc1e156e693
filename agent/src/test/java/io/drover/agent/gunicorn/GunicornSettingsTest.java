package io.drover.agent.gunicorn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.agent.host.HostCommand;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.GunicornSpec;
import io.drover.spec.SpecRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spec's Gunicorn settings as Gunicorn itself reads them: random valid settings, appended to a
 * config file, loaded with Gunicorn's own {@code Config} (as {@code gunicorn -c} does) come back as
 * the spec says, defaults spelled out; Supervisor's stop wait is the graceful timeout and a margin.
 */
class GunicornSettingsTest {
  private static final int CASES = 60;
  /** Loads each file into Gunicorn's Config, setting every name it defines as gunicorn -c does (but chdir, which must exist), and prints the settings. */
  private static final String LOADER = String.join("\n",
      "import sys",
      "from gunicorn.config import Config",
      "for path in sys.argv[1:]:",
      "    ns = {}",
      "    exec(compile(open(path, encoding='utf-8').read(), path, 'exec'), ns)",
      "    c = Config()",
      "    for k, v in ns.items():",
      "        if k in c.settings and k != 'chdir':",
      "            c.set(k, v)",
      "    print(c.timeout, c.graceful_timeout, c.worker_class_str, c.threads, c.max_requests)",
      "");

  @TempDir Path dir;

  @Test
  void gunicornReadsTheSettingsAsTheSpecSaysThem() throws IOException {
    long seed = Long.getLong("drover.seed", System.nanoTime());
    Random random = new Random(seed);
    List<Path> files = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < CASES; i++) {
      GunicornSpec.Builder g = GunicornSpec.newBuilder().setApp("app:app");
      int timeout = 30;
      int graceful = 30;
      String workerClass = "sync";
      int threads = 1;
      int maxRequests = 0;
      if (i > 0 && random.nextBoolean()) {
        timeout = 1 + random.nextInt(600);
        g.setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(timeout));
      }
      if (i > 0 && random.nextBoolean()) {
        graceful = 1 + random.nextInt(600);
        g.setGracefulTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(graceful));
      }
      if (i > 0 && random.nextBoolean()) {
        workerClass = SpecRules.WORKER_CLASSES.get(random.nextInt(SpecRules.WORKER_CLASSES.size()));
        g.setWorkerClass(workerClass);
      }
      if (i > 0 && random.nextBoolean()) {
        threads = 1 + random.nextInt(SpecRules.MAX_THREADS);
        g.setThreads(threads);
      }
      if (i > 0 && random.nextBoolean()) {
        maxRequests = 1 + random.nextInt(100_000);
        g.setMaxRequests(maxRequests);
      }
      GunicornSettings settings = GunicornSettings.of(AppSpec.newBuilder().setGunicorn(g).build());
      assertEquals(graceful + 10, settings.stopWaitSeconds());
      Path file = dir.resolve("gunicorn-" + i + ".conf.py");
      Files.writeString(file, new GunicornConfig(8000, 2, Path.of("/srv/app")).render() + settings.render(),
          StandardCharsets.US_ASCII);
      files.add(file);
      // Gunicorn's own rule: sync workers with more than one thread are threaded workers
      String runs = workerClass.equals("sync") && threads > 1 ? "threads" : workerClass;
      expected.add(timeout + " " + graceful + " " + runs + " " + threads + " " + maxRequests);
    }
    List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-c", LOADER));
    files.forEach(f -> command.add(f.toString()));
    HostCommand.Result result = HostCommand.run(command, Duration.ofSeconds(60));
    String rerun = "seed " + seed + " (rerun with -Ddrover.seed=" + seed + ")";
    assertTrue(result.ok(), rerun + ": gunicorn could not load every config:\n" + result.output());
    assertEquals(expected, result.output().lines().toList(), rerun);
  }
}
