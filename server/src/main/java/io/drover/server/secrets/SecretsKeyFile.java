package io.drover.server.secrets;

import io.drover.server.security.PrivateFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's {@code secrets.key}: the key as base64 on one line, mode 0600, kept in the data dir,
 * never in the database. A server creates it on its first start, unless the database already holds
 * secrets, which only the key that sealed them can open: then the file must be copied from the server
 * that made it, and the server refuses to start until it is.
 */
public final class SecretsKeyFile {
  /** The file's name in the server's data dir. */
  public static final String NAME = "secrets.key";

  private static final Logger log = LoggerFactory.getLogger(SecretsKeyFile.class);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private SecretsKeyFile() {}

  /**
   * Loads the key from {@code file}, or creates it there when it does not exist and the database
   * holds no secrets yet.
   *
   * @param storedSecret one secret value as the database stores it, when it holds any
   * @throws IllegalStateException when the file is missing or holds another key than the one that
   *     sealed the database's secrets, or is not a secrets key
   */
  public static SecretsKey open(Path file, Optional<String> storedSecret) {
    Optional<String> sealedWith = storedSecret.map(s -> {
      try {
        return SealedSecret.parse(s).keyId();
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("the database holds an app secret that is " + e.getMessage(), e);
      }
    });
    if (!Files.exists(file)) {
      if (sealedWith.isPresent()) {
        throw new IllegalStateException("the database holds app secrets sealed with key " + sealedWith.get()
            + ", but " + file + " does not exist: copy " + NAME + " from the first server into " + file.getParent()
            + " (mode 0600); every server sharing a database needs the same " + NAME);
      }
      return create(file);
    }
    SecretsKey key = load(file);
    if (sealedWith.isPresent() && !sealedWith.get().equals(key.id())) {
      throw new IllegalStateException("the database holds app secrets sealed with key " + sealedWith.get() + ", but "
          + file + " holds key " + key.id() + ": copy " + NAME + " from the first server; every server sharing a"
          + " database needs the same " + NAME);
    }
    log.info("event=secrets_key_loaded path={} key_id={}", file, key.id());
    return key;
  }

  static SecretsKey load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(mode)) {
        log.warn("event=secrets_key_readable_by_others path={} mode={} hint=\"chmod 600 {}\"", file,
            PosixFilePermissions.toString(mode), file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    byte[] material;
    try {
      material = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(file + " is not a secrets key: expected " + SecretsKey.BYTES + " bytes in base64");
    }
    if (material.length != SecretsKey.BYTES) {
      throw new IllegalStateException(file + " is not a secrets key: expected " + SecretsKey.BYTES
          + " bytes in base64, got " + material.length + " bytes");
    }
    return SecretsKey.of(material);
  }

  private static SecretsKey create(Path file) {
    byte[] material = new byte[SecretsKey.BYTES];
    new SecureRandom().nextBytes(material);
    PrivateFile.write(file, Base64.getEncoder().encodeToString(material) + "\n", false);
    SecretsKey key = SecretsKey.of(material);
    log.info("event=secrets_key_created path={} key_id={} hint=\"copy it to every server sharing this database\"",
        file, key.id());
    return key;
  }
}
