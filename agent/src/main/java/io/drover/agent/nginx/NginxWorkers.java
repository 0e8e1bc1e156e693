package io.drover.agent.nginx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The worker processes of a running nginx, found through its master's pid file and {@code /proc}.
 * {@code nginx -s reload} returns before the switch: the master starts new workers and only about
 * 100 ms later tells the old ones, which until then accept connections with the old config, to stop
 * accepting. {@link #awaitRetired} waits for that, so that an instance nginx no longer sends to can be
 * stopped safely.
 */
final class NginxWorkers {
  private static final Pattern PID = Pattern.compile("(?m)^\\s*pid\\s+([^;\\s]+)\\s*;");
  private static final Path DEFAULT_CONFIG = Path.of("/etc/nginx/nginx.conf");
  private static final Path DEFAULT_PID_FILE = Path.of("/run/nginx.pid");

  private final Path pidFile;

  NginxWorkers(Path pidFile) {
    this.pidFile = pidFile;
  }

  /** The pid file named by the {@code pid} directive of the config that the nginx command line uses. */
  static NginxWorkers of(List<String> nginxCommand) {
    Path config = DEFAULT_CONFIG;
    Path prefix = null;
    for (int i = 1; i + 1 < nginxCommand.size(); i++) {
      if (nginxCommand.get(i).equals("-c")) {
        config = Path.of(nginxCommand.get(i + 1));
      } else if (nginxCommand.get(i).equals("-p")) {
        prefix = Path.of(nginxCommand.get(i + 1));
      }
    }
    Path pid = DEFAULT_PID_FILE;
    try {
      if (Files.isRegularFile(config)) {
        Matcher m = PID.matcher(Files.readString(config));
        if (m.find()) {
          pid = Path.of(m.group(1));
          if (!pid.isAbsolute() && prefix != null) {
            pid = prefix.resolve(pid);
          }
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read nginx config " + config, e);
    }
    return new NginxWorkers(pid);
  }

  /** The pids of the master's children now; empty when the master is not found. */
  List<Long> current() {
    List<Long> pids = new ArrayList<>();
    try {
      String master = Files.readString(pidFile).strip();
      String children = Files.readString(Path.of("/proc", master, "task", master, "children"));
      for (String word : children.strip().split("\\s+")) {
        if (!word.isEmpty()) {
          pids.add(Long.parseLong(word));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return List.of(); // no master (nginx not running, or not ours to see): nothing to wait for
    }
    return pids;
  }

  /**
   * Waits until each of {@code workers} has exited or is shutting down (no longer accepting), for at
   * most {@code timeout}; returns whether they all did.
   */
  boolean awaitRetired(List<Long> workers, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean retired = true;
      for (long pid : workers) {
        if (accepting(pid)) {
          retired = false;
          break;
        }
      }
      if (retired) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  /** A worker is accepting while it lives and its title does not say it is shutting down. */
  private static boolean accepting(long pid) {
    try {
      String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
          StandardCharsets.UTF_8);
      return cmdline.contains("worker process") && !cmdline.contains("shutting down");
    } catch (IOException e) {
      return false;
    }
  }
}
