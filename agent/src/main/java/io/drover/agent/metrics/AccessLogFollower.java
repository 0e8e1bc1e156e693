package io.drover.agent.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads the lines appended to a log file since the previous call, across rotations: when the file
 * is renamed away and a new one appears, the old one is read to its end before the new one is
 * read from its start (the switch waits until the new file has content, i.e. until nginx has
 * reopened its logs, so no line written to the old file in between is missed); a file truncated
 * in place is read again from its start. Following resumes at a {@link Mark} taken earlier (when it
 * is still the same file), else starts at the file's start. Not thread-safe.
 */
final class AccessLogFollower implements AutoCloseable {
  /** A longer line is not a request line of ours: it is skipped. */
  static final int MAX_LINE_BYTES = 64 * 1024;

  private final Path path;
  private FileChannel channel;
  private Object fileKey;
  private long position;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private boolean skippingLongLine;
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

  /**
   * Where following a file stopped: the file (its key, and a hash of its first bytes up to the
   * position, as a file made later may reuse the inode) and the position in it.
   */
  record Mark(Object fileKey, int head, long position) {}

  private static final int HEAD_BYTES = 256;

  /** @param resumeAt where to resume when the file is still the one marked; null: from its start */
  AccessLogFollower(Path path, Mark resumeAt) {
    this.path = path;
    try {
      if (open(false) && resumeAt != null && resumeAt.fileKey() != null && resumeAt.fileKey().equals(fileKey)
          && resumeAt.position() <= channel.size() && head(channel, resumeAt.position()) == resumeAt.head()) {
        position = resumeAt.position();
      }
    } catch (IOException e) {
      // not readable yet: read from its start once it is
    }
  }

  /** The end of {@code path} now (null when there is no such file): what it holds is skipped. */
  static Mark endOf(Path path) {
    try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = file.size();
      return new Mark(keyOf(path), head(file, size), size);
    } catch (IOException e) {
      return null;
    }
  }

  /** Where following stopped, to resume there later. */
  Mark mark() {
    try {
      return channel == null ? null : new Mark(fileKey, head(channel, position), position);
    } catch (IOException e) {
      return null;
    }
  }

  /** A hash of the file's first bytes, at most {@code HEAD_BYTES} and not past {@code upTo}. */
  private static int head(FileChannel file, long upTo) throws IOException {
    ByteBuffer head = ByteBuffer.allocate((int) Math.min(HEAD_BYTES, upTo));
    while (head.hasRemaining() && file.read(head, head.position()) > 0) {
      // read until full or the end
    }
    return Arrays.hashCode(head.array());
  }

  /** Passes each complete line appended since the previous call to {@code lines}. */
  void readNew(Consumer<String> lines) throws IOException {
    if (channel == null && !open(false)) {
      return;
    }
    if (channel.size() < position) {
      position = 0; // truncated in place
      partial.reset();
    }
    drain(lines);
    Object current = keyOf(path);
    if (current != null && !Objects.equals(current, fileKey) && Files.size(path) > 0) {
      drain(lines); // nginx writes to the new file now: the old one is complete
      channel.close();
      channel = null;
      partial.reset();
      skippingLongLine = false;
      if (open(false)) {
        drain(lines);
      }
    }
  }

  private boolean open(boolean atEnd) throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
    FileChannel opened;
    try {
      opened = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return false;
    }
    channel = opened;
    fileKey = keyOf(path);
    position = atEnd ? channel.size() : 0;
    return true;
  }

  private void drain(Consumer<String> lines) throws IOException {
    while (true) {
      buffer.clear();
      int n = channel.read(buffer, position);
      if (n <= 0) {
        return;
      }
      position += n;
      byte[] bytes = buffer.array();
      int start = 0;
      for (int i = 0; i < n; i++) {
        if (bytes[i] == '\n') {
          append(bytes, start, i - start);
          if (!skippingLongLine) {
            lines.accept(partial.toString(StandardCharsets.UTF_8));
          }
          partial.reset();
          skippingLongLine = false;
          start = i + 1;
        }
      }
      append(bytes, start, n - start);
    }
  }

  private void append(byte[] bytes, int from, int length) {
    if (skippingLongLine) {
      return;
    }
    if (partial.size() + length > MAX_LINE_BYTES) {
      skippingLongLine = true;
      partial.reset();
      return;
    }
    partial.write(bytes, from, length);
  }

  private static Object keyOf(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }
}
