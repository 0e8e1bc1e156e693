package io.drover.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** What /proc says about the processes on this machine. */
final class Processes {
  private Processes() {}

  /** Pids whose command line contains every one of {@code parts}. */
  static List<Long> matching(String... parts) {
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        String cmd = commandLine(Long.parseLong(name)).orElse("");
        boolean all = !cmd.isEmpty();
        for (String part : parts) {
          all &= cmd.contains(part);
        }
        if (all) {
          pids.add(Long.parseLong(name));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return pids;
  }

  /** The gunicorn master among the processes matching {@code parts}: the one whose parent is not one of them. */
  static Optional<Long> gunicornMaster(String... parts) {
    String[] all = Stream.concat(Stream.of("gunicorn"), Stream.of(parts)).toArray(String[]::new);
    List<Long> pids = matching(all);
    return pids.stream().filter(pid -> !pids.contains(parent(pid))).findFirst();
  }

  static Optional<String> commandLine(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return Optional.of(new String(raw, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ').trim());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static long parent(long pid) {
    return statusField(pid, "PPid:").orElse(-1L);
  }

  /** Resident set size in bytes, or empty when the process is gone. */
  static Optional<Long> rssBytes(long pid) {
    return statusField(pid, "VmRSS:").map(kb -> kb * 1024);
  }

  /** User + system CPU seconds, from /proc/PID/stat (clock ticks of 1/100 s). */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static Optional<Long> statusField(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field)) {
          return Optional.of(Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
