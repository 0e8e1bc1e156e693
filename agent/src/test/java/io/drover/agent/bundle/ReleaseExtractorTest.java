package io.drover.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseExtractorTest {
  @TempDir Path dir;

  @Test
  void extractsRegularFilesIntoTheRelease() throws IOException {
    Path bundle = bundle(file("app.py", "print('hi')"), file("pkg/mod.py", "x = 1"));
    Path release = dir.resolve("releases/hello/1");
    ReleaseExtractor.extract(bundle, release);
    assertEquals("print('hi')", Files.readString(release.resolve("app.py")));
    assertEquals("x = 1", Files.readString(release.resolve("pkg/mod.py")));
  }

  @Test
  void refusesEscapesAndLinksAndLeavesNothingBehind() throws IOException {
    TarArchiveEntry link = new TarArchiveEntry("evil", TarArchiveEntry.LF_SYMLINK);
    link.setLinkName("/etc/passwd");
    for (TarArchiveEntry bad : new TarArchiveEntry[] {file("../escape.py", "x"), file("/abs.py", "x"), link}) {
      Path release = dir.resolve("releases/app/" + bad.getName().hashCode());
      assertThrows(ReleaseExtractor.UnsafeBundleException.class,
          () -> ReleaseExtractor.extract(bundle(file("ok.py", "x"), bad), release), bad.getName());
      assertFalse(Files.exists(release));
    }
    assertFalse(Files.exists(dir.resolve("releases/escape.py")));
    try (var left = Files.list(dir.resolve("releases/app"))) {
      assertEquals(0, left.count(), "temp dirs left behind");
    }
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
