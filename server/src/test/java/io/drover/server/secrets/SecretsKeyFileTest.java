package io.drover.server.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsKeyFileTest {
  @TempDir Path dir;

  @Test
  void theFirstStartCreatesAnOwnerOnlyKeyThatLaterStartsLoad() throws Exception {
    Path file = dir.resolve("data/secrets.key");
    SecretsKey created = SecretsKeyFile.open(file, Optional.empty());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    try (var files = Files.list(file.getParent())) {
      assertEquals(1, files.count(), "no temp file left beside the key");
    }
    SecretsKey loaded = SecretsKeyFile.open(file, Optional.empty());
    assertEquals(created.id(), loaded.id());
    String sealed = new SecretBox(created).seal("hello", "API_KEY", "v").text();
    assertEquals(created.id(), SecretsKeyFile.open(file, Optional.of(sealed)).id());
  }

  @Test
  void aMissingKeyForADatabaseWithSecretsStopsTheServer() {
    String sealed = new SecretBox(SecretBoxTest.key(3)).seal("hello", "API_KEY", "v").text();
    Path file = dir.resolve("secrets.key");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> SecretsKeyFile.open(file, Optional.of(sealed)));
    assertTrue(e.getMessage().contains("does not exist: copy secrets.key from the first server"), e.getMessage());
    assertFalse(Files.exists(file), "no new key is made for a database whose secrets it could not open");
  }

  @Test
  void anotherKeyForADatabaseWithSecretsStopsTheServer() {
    Path file = dir.resolve("secrets.key");
    SecretsKey mine = SecretsKeyFile.open(file, Optional.empty());
    SecretsKey theirs = SecretBoxTest.key(4);
    String sealed = new SecretBox(theirs).seal("hello", "API_KEY", "v").text();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> SecretsKeyFile.open(file, Optional.of(sealed)));
    assertEquals("the database holds app secrets sealed with key " + theirs.id() + ", but " + file + " holds key "
        + mine.id() + ": copy secrets.key from the first server; every server sharing a database needs the same secrets.key",
        e.getMessage());
  }

  @Test
  void aFileThatIsNotAKeyIsRefused() throws Exception {
    Path file = dir.resolve("secrets.key");
    Files.writeString(file, "not base64!\n");
    IllegalStateException garbage = assertThrows(IllegalStateException.class, () -> SecretsKeyFile.open(file, Optional.empty()));
    assertTrue(garbage.getMessage().endsWith("is not a secrets key: expected 32 bytes in base64"), garbage.getMessage());
    Files.writeString(file, "AAAA\n");
    IllegalStateException shortKey = assertThrows(IllegalStateException.class, () -> SecretsKeyFile.open(file, Optional.empty()));
    assertTrue(shortKey.getMessage().endsWith("got 3 bytes"), shortKey.getMessage());
  }
}
