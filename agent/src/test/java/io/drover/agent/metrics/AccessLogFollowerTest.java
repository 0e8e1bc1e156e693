package io.drover.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogFollowerTest {
  @TempDir Path dir;

  private static void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static List<String> read(AccessLogFollower follower) throws IOException {
    List<String> lines = new ArrayList<>();
    follower.readNew(lines::add);
    return lines;
  }

  @Test
  void readsAnExistingFileFromItsStartOrItsEnd() throws IOException {
    Path log = dir.resolve("access.log");
    append(log, "old 1\nold 2\n");
    AccessLogFollower.Mark end = AccessLogFollower.endOf(log);
    try (AccessLogFollower follower = new AccessLogFollower(log, null)) {
      assertEquals(List.of("old 1", "old 2"), read(follower));
    }
    try (AccessLogFollower follower = new AccessLogFollower(log, end)) {
      assertEquals(List.of(), read(follower));
      append(log, "new 1\nnew 2\nhalf");
      assertEquals(List.of("new 1", "new 2"), read(follower));
      append(log, " a line\n");
      assertEquals(List.of("half a line"), read(follower));
      assertEquals(List.of(), read(follower));
    }
  }

  @Test
  void resumesWhereItStoppedUnlessTheFileWasReplaced() throws IOException {
    Path log = dir.resolve("access.log");
    append(log, "");
    AccessLogFollower.Mark stopped;
    try (AccessLogFollower follower = new AccessLogFollower(log, AccessLogFollower.endOf(log))) {
      append(log, "a\n");
      assertEquals(List.of("a"), read(follower));
      stopped = follower.mark();
    }
    append(log, "b\n");
    try (AccessLogFollower follower = new AccessLogFollower(log, stopped)) {
      assertEquals(List.of("b"), read(follower));
    }
    Files.delete(log);
    append(log, "c\n");
    try (AccessLogFollower follower = new AccessLogFollower(log, stopped)) {
      assertEquals(List.of("c"), read(follower), "a new file is read from its start");
    }
  }

  @Test
  void readsAFileThatAppearsLaterFromItsStart() throws IOException {
    Path log = dir.resolve("access.log");
    try (AccessLogFollower follower = new AccessLogFollower(log, AccessLogFollower.endOf(log))) {
      assertEquals(List.of(), read(follower));
      append(log, "first\n");
      assertEquals(List.of("first"), read(follower));
    }
  }

  @Test
  void losesNoLineAcrossARenameRotation() throws IOException {
    Path log = dir.resolve("access.log");
    append(log, "");
    try (AccessLogFollower follower = new AccessLogFollower(log, AccessLogFollower.endOf(log))) {
      append(log, "a\n");
      assertEquals(List.of("a"), read(follower));
      Files.move(log, dir.resolve("access.log.1"));
      // nginx keeps writing to the renamed file until it reopens its logs
      append(dir.resolve("access.log.1"), "b\n");
      append(log, "");
      assertEquals(List.of("b"), read(follower), "the new file is empty: nginx has not reopened yet");
      append(dir.resolve("access.log.1"), "c\n");
      append(log, "d\ne\n");
      assertEquals(List.of("c", "d", "e"), read(follower));
      append(log, "f\n");
      assertEquals(List.of("f"), read(follower));
    }
  }

  @Test
  void startsOverWhenTheFileIsTruncated() throws IOException {
    Path log = dir.resolve("access.log");
    append(log, "");
    try (AccessLogFollower follower = new AccessLogFollower(log, AccessLogFollower.endOf(log))) {
      append(log, "one\ntwo\n");
      assertEquals(List.of("one", "two"), read(follower));
      Files.writeString(log, "");
      append(log, "three\n");
      assertEquals(List.of("three"), read(follower));
    }
  }

  @Test
  void skipsALineLongerThanTheLimit() throws IOException {
    Path log = dir.resolve("access.log");
    append(log, "");
    try (AccessLogFollower follower = new AccessLogFollower(log, AccessLogFollower.endOf(log))) {
      append(log, "x".repeat(AccessLogFollower.MAX_LINE_BYTES + 10) + "\nshort\n");
      assertEquals(List.of("short"), read(follower));
    }
  }
}
