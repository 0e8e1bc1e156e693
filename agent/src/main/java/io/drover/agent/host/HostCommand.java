package io.drover.agent.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one command on the host, waits for it with a timeout and captures its combined output. */
public final class HostCommand {
  private static final int MAX_OUTPUT = 256 * 1024;

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

  /** Runs {@code command} in {@code dir} (null: the agent's). A command that cannot start exits 127. */
  public static Result run(List<String> command, Path dir, Duration timeout) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      return new Result(List.copyOf(command), 127, e.getMessage() == null ? "cannot start" : e.getMessage());
    }
    try (InputStream out = process.getInputStream()) {
      byte[] bytes = readBounded(out);
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return new Result(List.copyOf(command), 124, "timed out after " + timeout);
      }
      return new Result(List.copyOf(command), process.exitValue(), new String(bytes, StandardCharsets.UTF_8));
    } catch (IOException e) {
      process.destroyForcibly();
      throw new UncheckedIOException("cannot read output of " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(List.copyOf(command), 130, "interrupted");
    }
  }

  /** Reads until EOF, keeping at most the last {@value #MAX_OUTPUT} bytes. */
  private static byte[] readBounded(InputStream in) throws IOException {
    java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      kept.write(buffer, 0, n);
      if (kept.size() > 2 * MAX_OUTPUT) {
        byte[] all = kept.toByteArray();
        kept.reset();
        kept.write(all, all.length - MAX_OUTPUT, MAX_OUTPUT);
      }
    }
    return kept.toByteArray();
  }

  /** Concatenates a command prefix with arguments. */
  public static List<String> of(List<String> prefix, String... args) {
    List<String> all = new ArrayList<>(prefix);
    all.addAll(List.of(args));
    return all;
  }
}
