package io.drover.agent.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoSpaceLeftTest {
  @TempDir Path tmp;

  @Test
  void recognisesAFullFilesystemAnywhereInTheCauses() {
    assertTrue(NoSpaceLeft.causedBy(new UncheckedIOException("cannot extract",
        new IOException("No space left on device"))));
    assertTrue(NoSpaceLeft.causedBy(new IllegalStateException("x",
        new FileSystemException("/a/b", null, "Disk quota exceeded"))));
    assertFalse(NoSpaceLeft.causedBy(new UncheckedIOException(new IOException("Permission denied"))));
    assertFalse(NoSpaceLeft.causedBy(new IllegalStateException("No space left on device, said no I/O call")));
    assertFalse(NoSpaceLeft.causedBy(null));
  }

  @Test
  void recognisesItInAToolsOutput() {
    assertTrue(NoSpaceLeft.inOutput(List.of("ERROR: Could not install packages due to an OSError: "
        + "[Errno 28] No space left on device")));
    assertFalse(NoSpaceLeft.inOutput(List.of("ERROR: No matching distribution found for flask==99")));
  }

  @Test
  void namesWhatWasWrittenAndTheRoomLeftOnItsFilesystem() {
    Path release = tmp.resolve("releases/hello/2"); // not made yet: the nearest existing parent counts
    String reason = NoSpaceLeft.reason("extracting the release to " + release, release);
    assertTrue(reason.startsWith("no space left on device while extracting the release to " + release + " ("), reason);
    assertTrue(reason.matches(".* free on .*\\)"), reason);
  }

  @Test
  void showsSizesReadably() {
    assertEquals("0 bytes", NoSpaceLeft.bytes(0));
    assertEquals("12 KiB", NoSpaceLeft.bytes(12 * 1024 + 5));
    assertEquals("3 MiB", NoSpaceLeft.bytes(3L * 1024 * 1024));
  }
}
