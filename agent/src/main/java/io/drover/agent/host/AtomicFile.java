package io.drover.agent.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * Writes a file so that readers see either the old or the new content, never a torn one: a temp
 * file in the same directory, forced to disk, then renamed over the target.
 */
public final class AtomicFile {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AtomicFile.class);
  private AtomicFile() {}

  public static void write(Path target, String content) {
    write(target, content.getBytes(StandardCharsets.UTF_8));
  }

  public static void write(Path target, byte[] content) {
    write(target, content, null, null);
  }

  /**
   * Writes {@code content} into a file created with {@code mode} (null: owner read and write) and,
   * when {@code owner} is not null, given to that user before any content goes in.
   */
  public static void write(Path target, byte[] content, Set<PosixFilePermission> mode, UserPrincipal owner) {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = null;
    try {
      Files.createDirectories(dir);
      temp = mode == null
          ? Files.createTempFile(dir, "." + target.getFileName(), ".tmp")
          : Files.createTempFile(dir, "." + target.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(mode));
      if (owner != null) {
        Files.setOwner(temp, owner);
      }
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
        ch.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          log.warn("event=temp_file_left path={} error={}", temp, e.getMessage());
        }
      }
    }
  }
}
