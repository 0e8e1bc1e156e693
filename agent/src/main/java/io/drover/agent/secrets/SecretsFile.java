package io.drover.agent.secrets;

import io.drover.agent.host.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An app's secrets on the host: one JSON object of name to value, mode 0600, owned by the user the
 * app runs as, written atomically. Gunicorn reads it when it starts (see {@link
 * io.drover.agent.gunicorn.GunicornConfig}); no other file the agent writes for the app holds a value.
 */
public final class SecretsFile {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private SecretsFile() {}

  /**
   * Writes {@code secrets} to {@code file}, readable only by {@code owner} (a user name; null: the
   * agent's own user).
   */
  public static void write(Path file, Map<String, String> secrets, String owner) {
    AtomicFile.write(file, render(secrets).getBytes(StandardCharsets.UTF_8), OWNER_ONLY, user(owner, file));
  }

  /** The JSON text: one object, names sorted, values escaped as JSON requires. */
  static String render(Map<String, String> secrets) {
    StringBuilder b = new StringBuilder("{");
    new TreeMap<>(secrets).forEach((name, value) -> {
      if (b.length() > 1) {
        b.append(',');
      }
      b.append('\n').append("  ").append(json(name)).append(": ").append(json(value));
    });
    return b.append(secrets.isEmpty() ? "}\n" : "\n}\n").toString();
  }

  private static String json(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  private static UserPrincipal user(String owner, Path file) {
    if (owner == null) {
      return null;
    }
    try {
      return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(owner);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + " for user " + owner + ": " + e.getMessage(), e);
    }
  }
}
