package io.drover.agent.metrics;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Resource use of a process and all its descendants, read from /proc. */
public final class ProcessTree {
  private static final double CLOCK_TICKS = 100.0;

  private ProcessTree() {}

  /** The summed RSS and CPU time of a process tree, and how many processes it has. */
  public record Usage(long rssBytes, double cpuSeconds, int processes) {}

  public static Usage of(long rootPid) {
    Map<Long, List<Long>> children = new HashMap<>();
    Map<Long, Double> cpu = new HashMap<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path proc : procs) {
        long pid = Long.parseLong(proc.getFileName().toString());
        String stat;
        try {
          stat = Files.readString(proc.resolve("stat"));
        } catch (IOException e) {
          continue; // the process exited while we looked
        }
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ppid = Long.parseLong(f[1]);
        children.computeIfAbsent(ppid, k -> new ArrayList<>()).add(pid);
        cpu.put(pid, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS);
      }
    } catch (IOException e) {
      return new Usage(0, 0, 0);
    }
    long rss = 0;
    double seconds = 0;
    int processes = 0;
    Deque<Long> todo = new ArrayDeque<>(List.of(rootPid));
    while (!todo.isEmpty()) {
      long pid = todo.pop();
      if (!cpu.containsKey(pid)) {
        continue;
      }
      seconds += cpu.get(pid);
      processes++;
      rss += rssBytes(pid);
      todo.addAll(children.getOrDefault(pid, List.of()));
    }
    return new Usage(rss, seconds, processes);
  }

  static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }
}
