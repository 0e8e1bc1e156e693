package io.drover.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The release tarball the dist module built, and running the commands that unpack and install it. */
final class DistRelease {
  static final Path DIST_TARGET = Drover.ROOT.resolve("dist/target");

  private DistRelease() {}

  /** {@code dist/target/drover-VERSION.tar.gz}; fails when the dist module has not been built. */
  static Path tarball() {
    try (Stream<Path> files = Files.list(DIST_TARGET)) {
      List<Path> found = files
          .filter(f -> f.getFileName().toString().matches("drover-.+\\.tar\\.gz"))
          .toList();
      if (found.size() != 1) {
        throw new AssertionError("expected one drover-VERSION.tar.gz in " + DIST_TARGET + ", found " + found);
      }
      return found.get(0);
    } catch (IOException e) {
      throw new AssertionError("no " + DIST_TARGET + ": build the dist module first (./mvnw -B -q -pl dist install)", e);
    }
  }

  /** The directory name inside the tarball: the file name without {@code .tar.gz}. */
  static String releaseName(Path tarball) {
    String file = tarball.getFileName().toString();
    return file.substring(0, file.length() - ".tar.gz".length());
  }

  /** The outcome of one command. */
  record Result(int exit, String out, String err) {
    Result requireSuccess(String what) {
      if (exit != 0) {
        throw new AssertionError(what + " exited " + exit + "\nstdout: " + out + "\nstderr: " + err);
      }
      return this;
    }
  }

  /** Runs {@code command} to completion in {@code dir}, bounded by {@code timeoutSeconds}. */
  static Result run(Path dir, long timeoutSeconds, Map<String, String> env, String... command) {
    try {
      Path out = Files.createTempFile("dist-out", ".txt");
      Path err = Files.createTempFile("dist-err", ".txt");
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(dir.toFile())
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().putAll(env);
      Process p = builder.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
      }
      Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return r;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
    }
  }

  /** Unpacks the tarball into {@code dir} with the system's tar, as a user would; returns the release directory. */
  static Path unpack(Path tarball, Path dir) {
    run(dir, 60, Map.of(), "tar", "-xzf", tarball.toString(), "-C", dir.toString()).requireSuccess("tar -xzf " + tarball);
    return dir.resolve(releaseName(tarball));
  }
}
