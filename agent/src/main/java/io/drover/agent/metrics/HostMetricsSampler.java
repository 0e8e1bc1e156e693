package io.drover.agent.metrics;

import io.drover.agent.host.ProcMeminfo;
import io.drover.api.v1.HostMetrics;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/** Samples the host: CPU busy share since the previous sample, load, memory and the data dir's disk. */
public final class HostMetricsSampler {
  private final Path dataDir;
  private long[] previousCpu;
  /** A lock, not a monitor: a sample may wait on the data dir's filesystem, which must not pin a carrier. */
  private final ReentrantLock lock = new ReentrantLock();

  public HostMetricsSampler(Path dataDir) {
    this.dataDir = dataDir;
  }

  public HostMetrics sample() throws IOException {
    lock.lock();
    try {
      return sampleLocked();
    } finally {
      lock.unlock();
    }
  }

  private HostMetrics sampleLocked() throws IOException {
    HostMetrics.Builder b = HostMetrics.newBuilder();
    long[] cpu = cpuTimes(Files.readString(Path.of("/proc/stat")));
    if (previousCpu != null) {
      b.setCpuUsage(cpuUsage(previousCpu, cpu));
    }
    previousCpu = cpu;
    String loadavg = Files.readString(Path.of("/proc/loadavg")).trim();
    b.setLoad1(Double.parseDouble(loadavg.split("\\s+")[0]));
    Map<String, Long> mem = ProcMeminfo.read();
    b.setMemoryTotalBytes(mem.getOrDefault("MemTotal", 0L));
    b.setMemoryAvailableBytes(mem.getOrDefault("MemAvailable", mem.getOrDefault("MemFree", 0L)));
    FileStore store = Files.getFileStore(dataDir);
    b.setDiskTotalBytes(store.getTotalSpace());
    b.setDiskFreeBytes(store.getUsableSpace());
    return b.build();
  }

  /** {total, idle} jiffies from the aggregate "cpu" line of /proc/stat (idle includes iowait). */
  static long[] cpuTimes(String procStat) {
    String line = procStat.lines().filter(l -> l.startsWith("cpu ")).findFirst()
        .orElseThrow(() -> new IllegalStateException("no cpu line in /proc/stat"));
    String[] f = line.trim().split("\\s+");
    long total = 0;
    for (int i = 1; i < f.length && i <= 8; i++) {
      total += Long.parseLong(f[i]);
    }
    long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
    return new long[] {total, idle};
  }

  static double cpuUsage(long[] before, long[] after) {
    long total = after[0] - before[0];
    long idle = after[1] - before[1];
    return total <= 0 ? 0 : Math.max(0, Math.min(1, (double) (total - idle) / total));
  }
}
