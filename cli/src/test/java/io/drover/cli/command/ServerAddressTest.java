package io.drover.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.drover.cli.config.CliConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerAddressTest {
  @Test
  void flagThenEnvironmentThenConfigFileThenDefault(@TempDir Path tmp) {
    CliConfig config = new CliConfig(tmp.resolve("config.yaml"));
    assertEquals(ServerAddress.DEFAULT, ServerAddress.resolve(null, null, config));
    config.writeServer("from-file:7070");
    assertEquals("from-file:7070", ServerAddress.resolve(null, "", config));
    assertEquals("from-env:7070", ServerAddress.resolve(null, "from-env:7070", config));
    assertEquals("from-flag:7070", ServerAddress.resolve("from-flag:7070", "from-env:7070", config));
  }
}
