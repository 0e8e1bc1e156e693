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
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads the lines appended to a log file since the previous call, across rotations: when the file
 * is renamed away and a new one appears, the old one is read to its end before the new one is
 * read from its start (the switch waits until the new file has content, i.e. until nginx has
 * reopened its logs, so no line written to the old file in between is missed); a file truncated
 * in place is read again from its start. A file that exists when following starts is read from
 * its end (what it held was counted before, or by nobody). Not thread-safe.
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

  AccessLogFollower(Path path) {
    this.path = path;
    try {
      open(true);
    } catch (IOException e) {
      // not there yet: read from its start once it appears
    }
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
