package io.drover.cli.dev;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The example app {@code drover dev} deploys: {@code examples/hello} of the Drover checkout or
 * release the running jar belongs to, else the copy inside the jar, extracted once into the state
 * directory (and kept, with the user's edits, from then on).
 */
public final class HelloExample {
  /** The example's spec file, relative to its directory. */
  public static final String SPEC = "hello.yaml";
  /** Every file of the example, as shipped inside the jar. */
  static final List<String> FILES = List.of(SPEC, "app/app.py");
  private static final String RESOURCE_DIR = "/io/drover/cli/dev/examples/hello/";

  private HelloExample() {}

  /** The spec file to apply: next to the jar when found there, else a copy under {@code stateDir}. */
  public static Path spec(Path stateDir) {
    return besideJar().orElseGet(() -> extract(stateDir.resolve("examples").resolve("hello"))).resolve(SPEC);
  }

  /** {@code examples/hello} in one of the three directories above the running jar, e.g. the repository root. */
  static Optional<Path> besideJar() {
    Path jar;
    try {
      jar = Path.of(HelloExample.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
    Path dir = jar.toAbsolutePath().getParent();
    for (int up = 0; up < 3 && dir != null; up++, dir = dir.getParent()) {
      Path candidate = dir.resolve("examples").resolve("hello");
      if (Files.isRegularFile(candidate.resolve(SPEC))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Copies the shipped example into {@code dir} unless it is there already; returns {@code dir}. */
  static Path extract(Path dir) {
    if (Files.isRegularFile(dir.resolve(SPEC))) {
      return dir;
    }
    try {
      for (String file : FILES) {
        Path target = dir.resolve(file);
        Files.createDirectories(target.getParent());
        try (InputStream in = HelloExample.class.getResourceAsStream(RESOURCE_DIR + file)) {
          if (in == null) {
            throw new DevFailure("the drover jar lacks the hello example's " + file);
          }
          Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new DevFailure("cannot copy the hello example into " + dir + ": " + e.getMessage(), e);
    }
    return dir;
  }
}
