package io.drover.agent.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The host's {@code /proc/meminfo}, values in bytes. */
public final class ProcMeminfo {
  private ProcMeminfo() {}

  public static Map<String, Long> read() {
    try {
      return parse(Files.readString(Path.of("/proc/meminfo")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/meminfo", e);
    }
  }

  static Map<String, Long> parse(String text) {
    Map<String, Long> values = new HashMap<>();
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String[] parts = line.substring(colon + 1).trim().split("\\s+");
      try {
        long v = Long.parseLong(parts[0]);
        values.put(line.substring(0, colon), parts.length > 1 && parts[1].equals("kB") ? v * 1024 : v);
      } catch (NumberFormatException e) {
        throw new IllegalStateException("unexpected /proc/meminfo line: " + line, e);
      }
    }
    return values;
  }
}
