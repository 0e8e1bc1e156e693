package io.drover.cli.bundle;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Packs an app's source directory into a deterministic tar.gz: the same directory content always
 * gives the same bytes, so re-applying an unchanged app changes nothing.
 *
 * <p>Entries are sorted by path; every entry has the same mtime, uid/gid 0 and mode 0755
 * (directories and files executable by their owner) or 0644; {@code __pycache__}, {@code *.pyc}
 * and {@code .git} are left out; symlinks and special files are refused. The gzip header carries
 * neither a modification time nor a file name.
 */
public final class BundlePacker {
  /** The largest bundle the CLI packs. */
  public static final long MAX_BUNDLE_BYTES = 64L * 1024 * 1024;

  /** The mtime of every entry; after 1980 so that tools building zip files from it accept it. */
  static final Instant ENTRY_MTIME = Instant.parse("2000-01-01T00:00:00Z");

  private BundlePacker() {}

  /** Packs {@code sourceDir}; fails naming the file when it holds a symlink or special file. */
  public static Bundle pack(Path sourceDir) throws IOException {
    List<Path> entries = collect(sourceDir);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GZIPOutputStream(new Limited(bytes, sourceDir), 64 * 1024), "UTF-8")) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Path relative : entries) {
        write(tar, sourceDir, relative);
      }
    }
    byte[] data = bytes.toByteArray();
    return new Bundle(data, sha256(data));
  }

  private static List<Path> collect(Path sourceDir) throws IOException {
    if (!Files.isDirectory(sourceDir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(sourceDir + " is not a directory");
    }
    List<Path> entries = new ArrayList<>();
    collect(sourceDir, sourceDir, entries);
    entries.sort(Comparator.comparing(BundlePacker::entryName));
    return entries;
  }

  private static void collect(Path root, Path dir, List<Path> entries) throws IOException {
    List<Path> children;
    try (Stream<Path> list = Files.list(dir)) {
      children = list.toList();
    }
    for (Path child : children) {
      String name = child.getFileName().toString();
      BasicFileAttributes attrs = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (name.equals(".git") || (attrs.isDirectory() && name.equals("__pycache__")) || (attrs.isRegularFile() && name.endsWith(".pyc"))) {
        continue;
      }
      Path relative = root.relativize(child);
      if (attrs.isSymbolicLink()) {
        throw new IOException("cannot pack " + child + ": it is a symlink (bundles hold only files and directories)");
      } else if (attrs.isDirectory()) {
        entries.add(relative);
        collect(root, child, entries);
      } else if (attrs.isRegularFile()) {
        entries.add(relative);
      } else {
        throw new IOException("cannot pack " + child + ": it is a special file (bundles hold only files and directories)");
      }
    }
  }

  private static void write(TarArchiveOutputStream tar, Path root, Path relative) throws IOException {
    Path file = root.resolve(relative);
    PosixFileAttributes attrs = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    boolean dir = attrs.isDirectory();
    TarArchiveEntry entry = new TarArchiveEntry(entryName(relative) + (dir ? "/" : ""), true);
    entry.setModTime(FileTime.from(ENTRY_MTIME));
    entry.setIds(0, 0);
    entry.setUserName("");
    entry.setGroupName("");
    entry.setMode((dir ? TarArchiveEntry.DEFAULT_DIR_MODE : TarArchiveEntry.DEFAULT_FILE_MODE) & ~0777
        | (dir || attrs.permissions().contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644));
    if (!dir) {
      entry.setSize(attrs.size());
    }
    tar.putArchiveEntry(entry);
    if (!dir) {
      Files.copy(file, tar);
    }
    tar.closeArchiveEntry();
  }

  private static String entryName(Path relative) {
    return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Fails once more than {@link #MAX_BUNDLE_BYTES} are written. */
  private static final class Limited extends FilterOutputStream {
    private final Path sourceDir;
    private long written;

    Limited(OutputStream out, Path sourceDir) {
      super(out);
      this.sourceDir = sourceDir;
    }

    @Override
    public void write(int b) throws IOException {
      count(1);
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      count(len);
      out.write(b, off, len);
    }

    private void count(int n) throws IOException {
      written += n;
      if (written > MAX_BUNDLE_BYTES) {
        throw new IOException("bundle of " + sourceDir + " is larger than " + (MAX_BUNDLE_BYTES >> 20) + " MiB");
      }
    }
  }
}
