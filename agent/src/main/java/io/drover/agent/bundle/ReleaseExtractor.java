package io.drover.agent.bundle;

import io.drover.agent.host.Directories;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks a bundle (tar.gz) into a release directory: into a temp directory beside it first, then
 * renamed into place, so a refused or broken bundle leaves nothing behind. Only regular files and
 * directories with relative paths inside the release are accepted; absolute paths, {@code ..},
 * symbolic and hard links, devices and FIFOs, and bundles over the {@link Limits} fail the whole
 * bundle with an {@link UnsafeBundleException} naming the entry. The release is readable by every
 * user (directories 0755, files 0644, or 0755 with the owner-execute bit), so an app's unprivileged
 * user can run it, and writable only by the agent.
 */
public final class ReleaseExtractor {
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-r--r--");
  private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");

  private ReleaseExtractor() {}

  /**
   * How much a bundle may unpack to.
   *
   * @param maxEntries the most archive entries (files and directories)
   * @param maxBytes the most bytes of file content, uncompressed
   */
  public record Limits(int maxEntries, long maxBytes) {
    /** The limits the agent applies: 100,000 entries, 1 GiB. */
    public static final Limits DEFAULT = new Limits(100_000, 1L << 30);

    public Limits {
      if (maxEntries < 1 || maxBytes < 1) {
        throw new IllegalArgumentException("bundle limits must be positive, got " + maxEntries + " entries, " + maxBytes + " bytes");
      }
    }
  }

  /** An archive entry that must not be unpacked, or a bundle over the limits. */
  public static final class UnsafeBundleException extends RuntimeException {
    public UnsafeBundleException(String message) {
      super(message);
    }
  }

  /** Extracts {@code bundle} to {@code release} within the default limits, replacing whatever is there. */
  public static void extract(Path bundle, Path release) {
    extract(bundle, release, Limits.DEFAULT);
  }

  /** Extracts {@code bundle} to {@code release} within {@code limits}, replacing whatever is there. */
  public static void extract(Path bundle, Path release, Limits limits) {
    Path parent = Directories.create(release.toAbsolutePath().getParent());
    Path temp;
    try {
      temp = Files.createTempDirectory(parent, "." + release.getFileName() + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp dir in " + parent, e);
    }
    try {
      unpack(bundle, temp, limits);
      Directories.makeReadableByAll(temp);
      Directories.deleteTree(release);
      Files.move(temp, release, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Directories.deleteTree(temp);
      throw new UncheckedIOException("cannot extract " + bundle + " to " + release + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      Directories.deleteTree(temp);
      throw e;
    }
  }

  private static void unpack(Path bundle, Path into, Limits limits) throws IOException {
    try (InputStream file = new BufferedInputStream(Files.newInputStream(bundle));
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
      TarArchiveEntry entry;
      int entries = 0;
      long bytes = 0;
      while ((entry = tar.getNextEntry()) != null) {
        if (++entries > limits.maxEntries()) {
          throw new UnsafeBundleException("bundle has more than " + limits.maxEntries() + " entries (at entry "
              + shown(entry.getName()) + ")");
        }
        Path target = safeTarget(into, entry);
        requireRealDirectories(into, target.getParent(), entry);
        if (entry.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        long room = limits.maxBytes() - bytes;
        if (entry.getSize() > room) {
          throw tooLarge(entry, limits);
        }
        Files.deleteIfExists(target);
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
          bytes += copy(tar, out, room, entry, limits);
        }
        Files.setPosixFilePermissions(target, (entry.getMode() & 0100) != 0 ? EXECUTABLE : FILE);
      }
    }
  }

  private static long copy(InputStream in, OutputStream out, long room, TarArchiveEntry entry, Limits limits)
      throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long copied = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      copied += n;
      if (copied > room) {
        throw tooLarge(entry, limits);
      }
      out.write(buffer, 0, n);
    }
    return copied;
  }

  private static UnsafeBundleException tooLarge(TarArchiveEntry entry, Limits limits) {
    return new UnsafeBundleException("bundle entry " + shown(entry.getName()) + " makes the release larger than "
        + limits.maxBytes() + " bytes uncompressed");
  }

  /** Every directory from the release down to {@code dir} must be a directory, not a link (none can be made, but be sure). */
  private static void requireRealDirectories(Path root, Path dir, TarArchiveEntry entry) {
    for (Path p = dir; p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
      if (Files.isSymbolicLink(p) || (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))) {
        throw new UnsafeBundleException("bundle entry " + shown(entry.getName()) + " would be written below "
            + root.relativize(p) + ", which is not a directory");
      }
    }
  }

  static Path safeTarget(Path into, TarArchiveEntry entry) {
    String name = shown(entry.getName());
    if (entry.isSymbolicLink()) {
      throw new UnsafeBundleException("bundle entry " + name + " is a symbolic link (to " + shown(entry.getLinkName())
          + "); bundles hold only files and directories");
    }
    if (entry.isLink()) {
      throw new UnsafeBundleException("bundle entry " + name + " is a hard link (to " + shown(entry.getLinkName())
          + "); bundles hold only files and directories");
    }
    if (entry.isCharacterDevice() || entry.isBlockDevice()) {
      throw new UnsafeBundleException("bundle entry " + name + " is a device file; bundles hold only files and directories");
    }
    if (entry.isFIFO()) {
      throw new UnsafeBundleException("bundle entry " + name + " is a FIFO; bundles hold only files and directories");
    }
    if (!entry.isDirectory() && !entry.isFile()) {
      throw new UnsafeBundleException("bundle entry " + name + " is not a regular file or directory");
    }
    String raw = entry.getName();
    if (raw.startsWith("/")) {
      throw new UnsafeBundleException("bundle entry " + name + " has an absolute path");
    }
    if (raw.isEmpty() || raw.contains("\\") || raw.chars().anyMatch(Character::isISOControl)) {
      throw new UnsafeBundleException("bundle entry " + name + " has an odd path (empty, backslash or control characters)");
    }
    for (String part : raw.split("/")) {
      if (part.equals("..")) {
        throw new UnsafeBundleException("bundle entry " + name + " climbs out of the release with ..");
      }
    }
    Path target = into.resolve(raw).normalize();
    if (!target.startsWith(into) || target.equals(into) && !entry.isDirectory()) {
      throw new UnsafeBundleException("bundle entry " + name + " points outside the release");
    }
    return target;
  }

  /** A name as it can be shown in a message: control characters as {@code \\uXXXX}, at most 200 characters. */
  private static String shown(String name) {
    StringBuilder b = new StringBuilder();
    name.chars().limit(200).forEach(c -> b.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : String.valueOf((char) c)));
    return b.append(name.length() > 200 ? "..." : "").toString();
  }
}
