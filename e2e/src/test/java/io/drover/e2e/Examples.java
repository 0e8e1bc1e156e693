package io.drover.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Copies of the repository's examples that a test may edit. */
final class Examples {
  private Examples() {}

  /** Copies examples/NAME to {@code target} and returns the path of its spec file. */
  static Path copy(String name, Path target) {
    Path source = Drover.ROOT.resolve("examples").resolve(name);
    try (Stream<Path> files = Files.walk(source)) {
      for (Path f : files.toList()) {
        Path to = target.resolve(source.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target.resolve(name + ".yaml");
  }

  /** Replaces {@code from} by {@code to} in the spec file; fails when {@code from} is not there. */
  static void edit(Path spec, String from, String to) {
    try {
      String text = Files.readString(spec);
      if (!text.contains(from)) {
        throw new AssertionError(spec + " does not contain " + from);
      }
      Files.writeString(spec, text.replace(from, to));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
