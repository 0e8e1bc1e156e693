package io.drover.agent.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one command on the host with a deadline and captures its combined output. The deadline
 * starts when the process starts and covers reading its output, which a virtual thread reads as it
 * comes: when it passes, the process and its descendants are killed (SIGKILL) and the result is a
 * timeout, exit {@value #TIMED_OUT}, with the output read so far. So a command that hangs, or a
 * child of it that keeps the output open, cannot hold the caller past the deadline. A process that
 * left the tree before (a daemon that forked away, as nginx and supervisord do when they start) is
 * not killed.
 */
public final class HostCommand {
  private static final Logger log = LoggerFactory.getLogger(HostCommand.class);
  private static final int MAX_OUTPUT = 256 * 1024;
  /** How long to wait for the last bytes of output once the processes are killed. */
  private static final Duration DRAIN = Duration.ofSeconds(1);
  /** The exit code of a command that did not finish in time (as timeout(1) reports it). */
  public static final int TIMED_OUT = 124;
  /** The exit code of a command that could not start. */
  public static final int CANNOT_START = 127;

  private HostCommand() {}

  /** What a finished command printed (stdout and stderr together) and how it exited. */
  public record Result(List<String> command, int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** The last {@code n} lines of the output. */
    public List<String> tail(int n) {
      return Tails.lastLines(output, n);
    }

    /** Throws {@link CommandFailedException} unless the command exited 0. */
    public Result orThrow() {
      if (!ok()) {
        throw new CommandFailedException(this);
      }
      return this;
    }
  }

  /** A command that exited non-zero, with what it printed. */
  public static final class CommandFailedException extends RuntimeException {
    private final transient Result result;

    public CommandFailedException(Result result) {
      super(String.join(" ", result.command()) + " exited " + result.exitCode() + ": " + result.output().strip());
      this.result = result;
    }

    public Result result() {
      return result;
    }
  }

  public static Result run(List<String> command, Duration timeout) {
    return run(command, null, timeout);
  }

  /**
   * Runs {@code command} in {@code dir} (null: the agent's), its stdin /dev/null. A command that
   * cannot start exits {@value #CANNOT_START}; one that is still running, or whose output is still
   * open, when {@code timeout} has passed since it started exits {@value #TIMED_OUT}.
   */
  public static Result run(List<String> command, Path dir, Duration timeout) {
    List<String> cmd = List.copyOf(command);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      return new Result(cmd, CANNOT_START, e.getMessage() == null ? "cannot start" : e.getMessage());
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Output output = new Output();
    InputStream out = process.getInputStream();
    Thread.ofVirtual().name("drover-command-output").start(() -> output.readAll(out));
    try {
      if (!process.waitFor(left(deadline), TimeUnit.NANOSECONDS) || !output.awaitEnd(left(deadline))) {
        boolean exited = !process.isAlive();
        killTree(process);
        output.awaitEnd(DRAIN.toNanos());
        log.warn("event=command_timed_out command=\"{}\" timeout_ms={} reason=\"{}\"", String.join(" ", cmd),
            timeout.toMillis(), exited ? "exited, but something it started kept its output open" : "still running");
        return new Result(cmd, TIMED_OUT, withLine(output.text(), "timed out after " + timeout));
      }
      output.throwIfFailed(cmd);
      return new Result(cmd, process.exitValue(), output.text());
    } catch (InterruptedException e) {
      killTree(process);
      Thread.currentThread().interrupt();
      return new Result(cmd, 130, withLine(output.text(), "interrupted"));
    }
  }

  /** Kills the process and every descendant it has now (found before it dies, when they would be reparented). */
  private static void killTree(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  /** {@code text} with {@code line} as its last line. */
  private static String withLine(String text, String line) {
    return text.isEmpty() || text.endsWith("\n") ? text + line : text + "\n" + line;
  }

  private static long left(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  /** Concatenates a command prefix with arguments. */
  public static List<String> of(List<String> prefix, String... args) {
    List<String> all = new ArrayList<>(prefix);
    all.addAll(List.of(args));
    return all;
  }

  /** A command's output as it is read: until EOF, keeping at most the last {@value #MAX_OUTPUT} bytes. */
  private static final class Output {
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final CountDownLatch ended = new CountDownLatch(1);
    private IOException failure;

    void readAll(InputStream in) {
      byte[] buffer = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          append(buffer, n);
        }
      } catch (IOException e) {
        synchronized (this) {
          failure = e;
        }
      } finally {
        ended.countDown();
      }
    }

    private synchronized void append(byte[] buffer, int n) {
      kept.write(buffer, 0, n);
      if (kept.size() > 2 * MAX_OUTPUT) {
        byte[] all = kept.toByteArray();
        kept.reset();
        kept.write(all, all.length - MAX_OUTPUT, MAX_OUTPUT);
      }
    }

    /** Whether the output reached its end within {@code nanos}. */
    boolean awaitEnd(long nanos) throws InterruptedException {
      return ended.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** What was read so far. */
    synchronized String text() {
      return kept.toString(StandardCharsets.UTF_8);
    }

    synchronized void throwIfFailed(List<String> command) {
      if (failure != null) {
        throw new UncheckedIOException("cannot read output of " + String.join(" ", command), failure);
      }
    }
  }
}
