package io.drover.agent.gunicorn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.agent.host.HostCommand;
import io.drover.agent.hostile.HostileStrings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random hostile release paths and worker counts in {@code gunicorn.conf.py}, executed by the real
 * python3 the way Gunicorn loads its config: every rendered file runs, defines exactly the intended
 * settings, and each value comes back exactly; a value that cannot be written is refused.
 */
class GunicornConfigPropertyTest {
  private static final int CASES = 300;
  private static final String SETTINGS = "accesslog bind capture_output chdir errorlog forwarded_allow_ips secure_scheme_headers workers";
  /** Execs each file as Gunicorn does and prints the names it defines and its values (strings as UTF-8 hex). */
  private static final String LOADER = String.join("\n",
      "import sys",
      "for path in sys.argv[1:]:",
      "    ns = {}",
      "    exec(compile(open(path, encoding='utf-8').read(), path, 'exec'), ns)",
      "    names = sorted(k for k in ns if not k.startswith('__'))",
      "    vals = [ns['bind'].encode().hex(), str(ns['workers']), ns['chdir'].encode('utf-8').hex(),",
      "            ns['accesslog'], ns['errorlog'], str(ns['capture_output']), ns['forwarded_allow_ips'],",
      "            repr(ns['secure_scheme_headers'])]",
      "    print(' '.join(names) + '|' + '|'.join(vals))",
      "");

  @TempDir Path dir;

  @Test
  void pyStringWritesEverythingButPrintableAsciiAsEscapes() {
    assertEquals("\"a\\\"b\\\\c\\u000a\\u0000\\u00fc\\U0001f600\"", GunicornConfig.pyString("a\"b\\c\n\0ü\uD83D\uDE00"));
    assertThrows(IllegalArgumentException.class, () -> GunicornConfig.pyString("broken\uD800"));
  }

  @Test
  void everyRenderedConfigRunsAndGivesBackItsValues() throws IOException {
    HostileStrings hostile = HostileStrings.seeded();
    List<Path> files = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    List<String> contexts = new ArrayList<>();
    for (int i = 0; i < CASES; i++) {
      Path release = Path.of("/srv", hostile.pathSegment(4), String.valueOf(i));
      int workers = 1 + hostile.random().nextInt(256);
      int port = 1 + hostile.random().nextInt(65535);
      String context = hostile.rerun() + ", case " + i + ": release " + HostileStrings.show(release.toString());
      GunicornConfig config = new GunicornConfig(port, workers, release);
      Path file = dir.resolve("gunicorn-" + i + ".conf.py");
      Files.writeString(file, config.render(), StandardCharsets.US_ASCII);
      files.add(file);
      contexts.add(context);
      expected.add(SETTINGS + "|" + hex("127.0.0.1:" + port) + "|" + workers + "|" + hex(release.toString()) + "|-|-|False|127.0.0.1,::1|{'X-FORWARDED-PROTO': 'https'}");
    }
    List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-c", LOADER));
    files.forEach(f -> command.add(f.toString()));
    HostCommand.Result result = HostCommand.run(command, Duration.ofSeconds(60));
    assertTrue(result.ok(), hostile.rerun() + ": python3 could not run every config:\n" + result.output());
    List<String> lines = result.output().lines().toList();
    assertEquals(expected.size(), lines.size(), hostile.rerun() + ": " + result.output());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), lines.get(i), contexts.get(i));
    }
  }

  private static String hex(String s) {
    return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
  }
}
