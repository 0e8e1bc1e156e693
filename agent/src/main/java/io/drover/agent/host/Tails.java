package io.drover.agent.host;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a text or a log file, for failure reports. */
public final class Tails {
  private static final int MAX_BYTES = 16 * 1024;

  private Tails() {}

  public static List<String> lastLines(String text, int n) {
    List<String> lines = Arrays.stream(text.split("\r?\n")).filter(l -> !l.isBlank()).toList();
    return List.copyOf(lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }

  /** The last {@code n} lines of {@code file}; empty when it does not exist or cannot be read. */
  public static List<String> ofFile(Path file, int n) {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      int size = (int) Math.min(length, MAX_BYTES);
      byte[] bytes = new byte[size];
      raf.seek(length - size);
      raf.readFully(bytes);
      return lastLines(new String(bytes, StandardCharsets.UTF_8), n);
    } catch (IOException e) {
      return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
    }
  }
}
