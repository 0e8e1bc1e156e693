package io.drover.cli.dev;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one external command to completion within a timeout, capturing its combined output. */
final class Exec {
  private Exec() {}

  /** How a command ended: exit status and what it printed (stdout and stderr together). */
  record Result(List<String> command, int exit, String output) {
    boolean ok() {
      return exit == 0;
    }

    /** This result when the command succeeded; otherwise throws naming the command and its output. */
    Result orThrow() {
      if (exit != 0) {
        throw new DevFailure(String.join(" ", command) + " exited " + exit + ": " + output.strip());
      }
      return this;
    }
  }

  /** Runs {@code command} in {@code dir} (null: the current directory); throws when it outlives {@code timeout}. */
  static Result run(List<String> command, Path dir, Duration timeout) {
    Path output = null;
    try {
      output = Files.createTempFile("drover-dev-exec", ".out");
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      if (dir != null) {
        builder.directory(dir.toFile());
      }
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new DevFailure(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s");
      }
      return new Result(List.copyOf(command), process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new DevFailure("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevFailure("interrupted while running " + String.join(" ", command), e);
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException e) {
          output.toFile().deleteOnExit();
        }
      }
    }
  }
}
