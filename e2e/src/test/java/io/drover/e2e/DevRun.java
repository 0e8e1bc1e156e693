package io.drover.e2e;

import io.drover.testing.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code ./drover dev} process, run as this user or (through {@code setpriv}) as another one,
 * with its own HOME, data dir and free ports; its output goes to {@code dev.log}.
 */
final class DevRun implements AutoCloseable {
  private static final Pattern SERVED_AT = Pattern.compile("curl -H 'Host: hello\\.local' http://127\\.0\\.0\\.1:(\\d+)/");

  final Path dataDir;
  final Path home;
  final Path log;
  final String user;
  final Process process;
  final long startedNanos = System.nanoTime();

  private DevRun(Path dataDir, Path home, Path log, String user, Process process) {
    this.dataDir = dataDir;
    this.home = home;
    this.log = log;
    this.user = user;
    this.process = process;
  }

  /** Starts {@code ./drover dev --data-dir DATA ...} as {@code user} (null: this process's user) with HOME {@code home}. */
  static DevRun start(String user, Path home, Path dataDir, Path log) {
    List<String> cmd = command(user, home, List.of(Drover.LAUNCHER.toString(), "dev", "--data-dir", dataDir.toString(),
        "--grpc-listen", "127.0.0.1:" + Fleet.freePort(), "--http-listen", "127.0.0.1:" + Fleet.freePort(),
        "--ingress", "127.0.0.1:" + Fleet.freePort()));
    try {
      Files.createDirectories(log.getParent());
      Process p = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
      return new DevRun(dataDir, home, log, user, p);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + cmd, e);
    }
  }

  /** Runs {@code ./drover args…} as the same user with the same HOME (so it reads the config dev wrote). */
  Drover.Result cli(String... args) {
    List<String> full = new ArrayList<>(List.of(Drover.LAUNCHER.toString()));
    full.addAll(List.of(args));
    List<String> cmd = command(user, home, full);
    try {
      Path out = Files.createTempFile("drover-dev-cli", ".out");
      Path err = Files.createTempFile("drover-dev-cli", ".err");
      Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(cmd + " did not finish in 60 s");
      }
      Drover.Result r = new Drover.Result(p.exitValue(), Files.readString(out), Files.readString(err));
      Files.delete(out);
      Files.delete(err);
      return r;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The ingress port printed in the {@code curl} line, once dev has printed it (bounded by {@code timeout}). */
  int awaitServedPort(Duration timeout) {
    return Await.value(timeout, "drover dev to print where hello is served (log " + log + ")", () -> {
      if (!process.isAlive()) {
        throw new AssertionError("drover dev exited " + process.exitValue() + ":\n" + output());
      }
      Matcher m = SERVED_AT.matcher(output());
      return m.find() ? Integer.parseInt(m.group(1)) : null;
    });
  }

  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The pid of the java process running dev: the started process itself, or a descendant. */
  long javaPid() {
    if (isDevJava(process.pid())) {
      return process.pid();
    }
    return process.descendants().map(ProcessHandle::pid).filter(DevRun::isDevJava).findFirst()
        .orElseThrow(() -> new AssertionError("no java process under " + process.pid() + ":\n" + output()));
  }

  private static boolean isDevJava(long pid) {
    String cmd = Processes.commandLine(pid).orElse("");
    return cmd.contains("java") && cmd.contains("drover.jar") && cmd.contains(" dev ");
  }

  /** Sends SIGINT (Ctrl-C) to the java process and waits for it to exit. */
  void interrupt(Duration timeout) {
    long pid = javaPid();
    String signalled = pid + " " + Processes.commandLine(pid).orElse("(gone)");
    signal("INT", pid);
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("drover dev still running " + timeout.toSeconds() + " s after SIGINT to " + signalled
            + ":\n" + output());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Processes whose command line names the data dir: postgres, supervisord, nginx, gunicorn. */
  List<String> leftovers() {
    List<String> left = new ArrayList<>();
    for (long pid : Processes.matching(dataDir.toString())) {
      Processes.commandLine(pid).ifPresent(c -> left.add(pid + " " + c));
    }
    return left;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.descendants().filter(h -> isDevJava(h.pid())).forEach(h -> signal("TERM", h.pid()));
      signal("TERM", process.pid());
      try {
        process.waitFor(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process.destroyForcibly();
    }
  }

  private static void signal(String name, long pid) {
    List<String> cmd = List.of("kill", "-" + name, Long.toString(pid));
    try {
      new ProcessBuilder(cmd).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code command} as {@code user} with HOME {@code home}. {@code setpriv} (when a user is named) and
   * {@code env} replace themselves with the command, so the started process is the launcher, which
   * replaces itself with java: the test signals exactly the process a terminal's Ctrl-C would reach.
   * SIGINT is reset to its default first, as a shell does for a foreground job: a JVM leaves SIGINT
   * ignored when it was ignored at start (as for background jobs of non-interactive shells).
   */
  private static List<String> command(String user, Path home, List<String> command) {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "-c",
        "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])"));
    if (user != null) {
      cmd.addAll(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups"));
    }
    cmd.add("env");
    cmd.add("-u");
    cmd.add("XDG_CONFIG_HOME");
    cmd.add("-u");
    cmd.add("XDG_DATA_HOME");
    cmd.add("-u");
    cmd.add("DROVER_ADDR");
    cmd.add("HOME=" + home);
    String javaHome = Map.copyOf(System.getenv()).getOrDefault("JAVA_HOME", System.getProperty("java.home"));
    cmd.add("JAVA_HOME=" + javaHome);
    cmd.addAll(command);
    return cmd;
  }
}
