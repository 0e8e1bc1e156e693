package io.drover.agent.bundle;

import io.drover.agent.host.Directories;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks a bundle (tar.gz) into a release directory: into a temp directory beside it first, then
 * renamed into place. Only regular files and directories with relative paths inside the release are
 * accepted; absolute paths, {@code ..}, links and device files fail the whole bundle.
 */
public final class ReleaseExtractor {
  private ReleaseExtractor() {}

  /** An archive entry that must not be unpacked. */
  public static final class UnsafeBundleException extends RuntimeException {
    public UnsafeBundleException(String message) {
      super(message);
    }
  }

  /** Extracts {@code bundle} to {@code release}, replacing whatever is there. */
  public static void extract(Path bundle, Path release) {
    Path parent = Directories.create(release.toAbsolutePath().getParent());
    Path temp;
    try {
      temp = Files.createTempDirectory(parent, "." + release.getFileName() + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp dir in " + parent, e);
    }
    try {
      unpack(bundle, temp);
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

  private static void unpack(Path bundle, Path into) throws IOException {
    try (InputStream file = new BufferedInputStream(Files.newInputStream(bundle));
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path target = safeTarget(into, entry);
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
          if ((entry.getMode() & 0100) != 0) {
            target.toFile().setExecutable(true, false);
          }
        }
      }
    }
  }

  static Path safeTarget(Path into, TarArchiveEntry entry) {
    String name = entry.getName();
    if (entry.isSymbolicLink() || entry.isLink()) {
      throw new UnsafeBundleException("bundle entry " + name + " is a link; links are not allowed");
    }
    if (!entry.isDirectory() && !entry.isFile()) {
      throw new UnsafeBundleException("bundle entry " + name + " is not a regular file or directory");
    }
    if (name.startsWith("/") || name.contains("\\")) {
      throw new UnsafeBundleException("bundle entry " + name + " has an absolute or odd path");
    }
    for (String part : name.split("/")) {
      if (part.equals("..")) {
        throw new UnsafeBundleException("bundle entry " + name + " climbs out with ..");
      }
    }
    Path target = into.resolve(name).normalize();
    if (!target.startsWith(into)) {
      throw new UnsafeBundleException("bundle entry " + name + " points outside the release");
    }
    return target;
  }
}
