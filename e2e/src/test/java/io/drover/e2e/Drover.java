package io.drover.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the built {@code ./drover} launcher from the repository root, as a user would. */
final class Drover {
  static final Path ROOT = Path.of(System.getProperty("drover.root", "..")).toAbsolutePath().normalize();
  static final Path LAUNCHER = ROOT.resolve("drover");

  private Drover() {}

  /** The outcome of one CLI command. */
  record Result(int exit, String out, String err) {
    Result requireSuccess() {
      if (exit != 0) {
        throw new AssertionError("drover exited " + exit + "\nstdout: " + out + "\nstderr: " + err);
      }
      return this;
    }
  }

  /** Runs {@code drover args…} to completion (bounded by {@code timeoutSeconds}). */
  static Result run(long timeoutSeconds, String... args) {
    return run(timeoutSeconds, java.util.Map.of(), args);
  }

  /** Runs {@code drover args…} with extra environment variables, to completion. */
  static Result run(long timeoutSeconds, java.util.Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
    cmd.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("drover-out", ".txt");
      Path err = Files.createTempFile("drover-err", ".txt");
      ProcessBuilder builder = new ProcessBuilder(cmd);
      builder.environment().putAll(env);
      Process p = builder
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new AssertionError("drover " + String.join(" ", args) + " did not finish in " + timeoutSeconds + " s");
      }
      Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return r;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + cmd, e);
    }
  }

  /** Starts {@code drover args…} in the background, its output going to {@code log}. */
  static Process start(Path log, String... args) {
    List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
    cmd.addAll(List.of(args));
    try {
      Files.createDirectories(log.getParent());
      return new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + cmd, e);
    }
  }
}
