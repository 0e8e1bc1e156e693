package io.drover.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseExtractorTest {
  @TempDir Path dir;

  @Test
  void extractsRegularFilesIntoTheReleaseReadableByEveryone() throws IOException {
    TarArchiveEntry script = file("bin/run", "#!/bin/sh");
    script.setMode(0100700);
    Path bundle = bundle(file("app.py", "print('hi')"), file("pkg/mod.py", "x = 1"), script);
    Path release = dir.resolve("releases/hello/1");
    ReleaseExtractor.extract(bundle, release);
    assertEquals("print('hi')", Files.readString(release.resolve("app.py")));
    assertEquals("x = 1", Files.readString(release.resolve("pkg/mod.py")));
    assertEquals("rwxr-xr-x", mode(release));
    assertEquals("rwxr-xr-x", mode(release.resolve("pkg")));
    assertEquals("rw-r--r--", mode(release.resolve("app.py")));
    assertEquals("rwxr-xr-x", mode(release.resolve("bin/run")));
  }

  @Test
  void refusesUnsafeEntriesNamingThemAndLeavesNothingBehind() throws IOException {
    TarArchiveEntry symlink = new TarArchiveEntry("evil", TarArchiveEntry.LF_SYMLINK);
    symlink.setLinkName("/etc/passwd");
    TarArchiveEntry inside = new TarArchiveEntry("inner-link", TarArchiveEntry.LF_SYMLINK);
    inside.setLinkName("app.py");
    TarArchiveEntry hardlink = new TarArchiveEntry("hard", TarArchiveEntry.LF_LINK);
    hardlink.setLinkName("../../outside");
    TarArchiveEntry device = new TarArchiveEntry("dev/sda", TarArchiveEntry.LF_BLK);
    TarArchiveEntry chardev = new TarArchiveEntry("null", TarArchiveEntry.LF_CHR);
    TarArchiveEntry fifo = new TarArchiveEntry("pipe", TarArchiveEntry.LF_FIFO);
    List<Case> cases = List.of(
        new Case(file("../escape.py", "x"), "bundle entry ../escape.py climbs out of the release with .."),
        new Case(file("a/../../escape.py", "x"), "bundle entry a/../../escape.py climbs out"),
        new Case(file("/abs.py", "x"), "bundle entry /abs.py has an absolute path"),
        new Case(file("odd\nname", "x"), "bundle entry odd\\u000aname has an odd path"),
        new Case(symlink, "bundle entry evil is a symbolic link (to /etc/passwd)"),
        new Case(inside, "bundle entry inner-link is a symbolic link (to app.py)"),
        new Case(hardlink, "bundle entry hard is a hard link (to ../../outside)"),
        new Case(device, "bundle entry dev/sda is a device file"),
        new Case(chardev, "bundle entry null is a device file"),
        new Case(fifo, "bundle entry pipe is a FIFO"));
    for (Case c : cases) {
      Path release = dir.resolve("releases/app/" + Math.abs(c.expected.hashCode()));
      ReleaseExtractor.UnsafeBundleException e = assertThrows(ReleaseExtractor.UnsafeBundleException.class,
          () -> ReleaseExtractor.extract(bundle(file("app.py", "x"), c.entry), release), c.expected);
      assertTrue(e.getMessage().startsWith(c.expected), e.getMessage());
      assertFalse(Files.exists(release), c.expected);
    }
    assertFalse(Files.exists(dir.resolve("releases/escape.py")));
    assertFalse(Files.exists(dir.resolve("escape.py")));
    assertNothingLeftIn(dir.resolve("releases/app"));
  }

  @Test
  void refusesBundlesOverTheLimitsNamingTheEntry() throws IOException {
    ReleaseExtractor.Limits limits = new ReleaseExtractor.Limits(3, 10);
    Path release = dir.resolve("releases/big/1");
    ReleaseExtractor.UnsafeBundleException many = assertThrows(ReleaseExtractor.UnsafeBundleException.class,
        () -> ReleaseExtractor.extract(bundle(file("a", ""), file("b", ""), file("c", ""), file("d", "")), release, limits));
    assertEquals("bundle has more than 3 entries (at entry d)", many.getMessage());
    ReleaseExtractor.UnsafeBundleException big = assertThrows(ReleaseExtractor.UnsafeBundleException.class,
        () -> ReleaseExtractor.extract(bundle(file("a", "12345"), file("b", "123456")), release, limits));
    assertEquals("bundle entry b makes the release larger than 10 bytes uncompressed", big.getMessage());
    assertFalse(Files.exists(release));
    assertNothingLeftIn(dir.resolve("releases/big"));
    ReleaseExtractor.extract(bundle(file("a", "12345"), file("b", "12345")), release, limits);
    assertTrue(Files.exists(release.resolve("b")));
  }

  @Test
  void aRefusedBundleLeavesThePreviousReleaseAsItWas() throws IOException {
    Path release = dir.resolve("releases/app/1");
    ReleaseExtractor.extract(bundle(file("app.py", "good")), release);
    assertThrows(ReleaseExtractor.UnsafeBundleException.class,
        () -> ReleaseExtractor.extract(bundle(file("app.py", "bad"), file("/etc/x", "x")), release));
    assertEquals("good", Files.readString(release.resolve("app.py")));
  }

  private record Case(TarArchiveEntry entry, String expected) {}

  private static void assertNothingLeftIn(Path d) throws IOException {
    try (Stream<Path> left = Files.list(d)) {
      assertEquals(List.of(), left.map(p -> p.getFileName().toString()).toList(), "temp dirs left behind in " + d);
    }
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static TarArchiveEntry file(String name, String content) {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(content.getBytes(StandardCharsets.UTF_8).length);
    e.setUserName(content); // carries the content to bundle()
    return e;
  }

  private Path bundle(TarArchiveEntry... entries) throws IOException {
    Path file = Files.createTempFile(dir, "bundle", ".tar.gz");
    try (OutputStream out = Files.newOutputStream(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (TarArchiveEntry e : entries) {
        String content = e.isFile() ? e.getUserName() : "";
        e.setUserName("root");
        tar.putArchiveEntry(e);
        tar.write(content.getBytes(StandardCharsets.UTF_8));
        tar.closeArchiveEntry();
      }
    }
    return file;
  }
}
