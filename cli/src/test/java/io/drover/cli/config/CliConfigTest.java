package io.drover.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliConfigTest {
  @Test
  void followsXdgConfigHomeElseHome() {
    assertEquals(Path.of("/x/drover/config.yaml"), CliConfig.defaultFile(Map.of("XDG_CONFIG_HOME", "/x"), "/home/a"));
    assertEquals(Path.of("/home/a/.config/drover/config.yaml"), CliConfig.defaultFile(Map.of(), "/home/a"));
  }

  @Test
  void writesTheServerAndKeepsOtherKeys(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("drover/config.yaml");
    CliConfig config = new CliConfig(file);
    assertEquals(Optional.empty(), config.server());

    Files.createDirectories(file.getParent());
    Files.writeString(file, "server: old:1\ntoken: abc\n");
    config.writeServer("127.0.0.1:7070");
    assertEquals(Optional.of("127.0.0.1:7070"), config.server());
    String text = Files.readString(file);
    assertTrue(text.contains("token: \"abc\""), text);
    try (var files = Files.list(file.getParent())) {
      assertEquals(1, files.count(), "no temp file left behind");
    }
  }
}
