package io.drover.cli.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundlePackerTest {
  @TempDir Path tmp;

  private static void app(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("pkg/static"));
    Files.createDirectories(dir.resolve("pkg/__pycache__"));
    Files.createDirectories(dir.resolve(".git/objects"));
    Files.createDirectories(dir.resolve("empty"));
    Files.writeString(dir.resolve("app.py"), "from flask import Flask\napp = Flask(__name__)\n");
    Files.writeString(dir.resolve("pkg/__init__.py"), "");
    Files.writeString(dir.resolve("pkg/views.pyc"), "compiled");
    Files.writeString(dir.resolve("pkg/__pycache__/views.cpython-311.pyc"), "compiled");
    Files.writeString(dir.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    Files.writeString(dir.resolve("pkg/static/site.css"), "body {}\n");
    Files.writeString(dir.resolve("pkg-notes.txt"), "notes\n");
    Path run = Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-x---"));
  }

  private static List<TarArchiveEntry> entries(Bundle bundle) throws IOException {
    List<TarArchiveEntry> entries = new ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(bundle.data())))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        entries.add(e);
      }
    }
    return entries;
  }

  @Test
  void sameContentGivesTheSameBytesWhateverTheMtimes() throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    app(a);
    app(b);
    Files.setLastModifiedTime(b.resolve("app.py"), FileTime.fromMillis(1_000_000_000_000L));
    Bundle first = BundlePacker.pack(a);
    assertArrayEquals(first.data(), BundlePacker.pack(a).data());
    assertArrayEquals(first.data(), BundlePacker.pack(b).data());
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(first.data())), first.sha256());

    Files.writeString(b.resolve("app.py"), "changed\n");
    assertNotEquals(first.sha256(), BundlePacker.pack(b).sha256());
  }

  @Test
  void entriesAreSortedNormalizedAndSkipCaches() throws Exception {
    Path dir = tmp.resolve("app");
    app(dir);
    List<TarArchiveEntry> entries = entries(BundlePacker.pack(dir));
    assertEquals(
        List.of("app.py", "empty/", "pkg/", "pkg-notes.txt", "pkg/__init__.py", "pkg/static/", "pkg/static/site.css", "run.sh"),
        entries.stream().map(TarArchiveEntry::getName).toList());
    for (TarArchiveEntry e : entries) {
      assertEquals(0, e.getLongUserId());
      assertEquals(0, e.getLongGroupId());
      assertEquals(BundlePacker.ENTRY_MTIME.toEpochMilli(), e.getModTime().getTime());
      int expectedMode = e.isDirectory() || e.getName().equals("run.sh") ? 0755 : 0644;
      assertEquals(expectedMode, e.getMode() & 07777, e.getName());
    }
  }

  @Test
  void gzipHeaderHasNoTimeOrName() throws Exception {
    Path dir = tmp.resolve("app");
    app(dir);
    byte[] data = BundlePacker.pack(dir).data();
    assertEquals(0x1f, data[0] & 0xff);
    assertEquals(0x8b, data[1] & 0xff);
    assertEquals(0, data[3], "no FNAME flag");
    assertArrayEquals(new byte[4], new byte[] {data[4], data[5], data[6], data[7]}, "no mtime");
  }

  @Test
  void symlinksAreRefusedNamingTheFile() throws Exception {
    Path dir = tmp.resolve("app");
    app(dir);
    Files.createSymbolicLink(dir.resolve("pkg/link.py"), dir.resolve("app.py"));
    IOException e = assertThrows(IOException.class, () -> BundlePacker.pack(dir));
    assertTrue(e.getMessage().contains("pkg/link.py") && e.getMessage().contains("symlink"), e.getMessage());
  }

  @Test
  void aMissingDirectoryIsAnError() {
    IOException e = assertThrows(IOException.class, () -> BundlePacker.pack(tmp.resolve("nope")));
    assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
  }
}
