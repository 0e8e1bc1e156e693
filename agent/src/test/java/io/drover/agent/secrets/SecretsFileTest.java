package io.drover.agent.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.agent.gunicorn.GunicornConfig;
import io.drover.agent.host.AtomicFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsFileTest {
  private static final Map<String, String> SECRETS = Map.of(
      "API_KEY", "k=1 \"quoted\" 'single' 100% \\back\\slash $HOME ;# {} \tand tab",
      "EMPTY", "",
      "UNICODE", "pässwörd ✓ \uD83D\uDD11");

  @TempDir Path dir;

  @Test
  void theFileIsOwnerOnlyAndLeavesNoTempBehind() throws Exception {
    Path file = dir.resolve("releases/hello/secrets-1.json");
    SecretsFile.write(file, SECRETS, null);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(System.getProperty("user.name"), Files.getOwner(file).getName());
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertEquals(List.of(file), files.toList());
    }
    SecretsFile.write(file, Map.of("API_KEY", "next"), System.getProperty("user.name"));
    assertEquals("{\n  \"API_KEY\": \"next\"\n}\n", Files.readString(file));
  }

  @Test
  void gunicornHandsTheValuesToTheAppIntactAndItsConfigHoldsNone() throws Exception {
    Path file = dir.resolve("secrets-1.json");
    SecretsFile.write(file, SECRETS, null);
    Path conf = dir.resolve("gunicorn-1.conf.py");
    AtomicFile.write(conf, new GunicornConfig(8000, 2, dir, file).render());
    String text = Files.readString(conf);
    for (String value : SECRETS.values()) {
      assertFalse(!value.isEmpty() && text.contains(value), text);
    }
    // gunicorn execs its config as a module and takes raw_env ("NAME=value" items) from it
    Process p = new ProcessBuilder("/usr/bin/python3", "-c",
        "import runpy, sys\n"
            + "env = runpy.run_path(sys.argv[1])['raw_env']\n"
            + "sys.stdout.buffer.write('\\0'.join(sorted(env)).encode('utf-8'))\n",
        conf.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    List<String> expected = new TreeMap<>(SECRETS).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    assertEquals(String.join("\0", expected), out);
  }

  @Test
  void anAppWithoutSecretsGetsNoSecretsCode() {
    String text = new GunicornConfig(8000, 2, dir).render();
    assertFalse(text.contains("raw_env"), text);
    assertTrue(text.startsWith("# written by the drover agent\n"), text);
  }
}
