package io.drover.cli.spec;

import java.nio.file.Path;
import java.util.List;

/** A spec file that cannot be applied, with every problem found in it. */
public final class InvalidSpecException extends Exception {
  private final Path file;
  private final List<String> problems;

  public InvalidSpecException(Path file, List<String> problems) {
    super(render(file, problems));
    this.file = file;
    this.problems = List.copyOf(problems);
  }

  public Path file() {
    return file;
  }

  /** The problems, each naming its field, e.g. {@code nginx.domains: at least one domain}. */
  public List<String> problems() {
    return problems;
  }

  private static String render(Path file, List<String> problems) {
    StringBuilder b = new StringBuilder();
    for (String problem : problems) {
      if (!b.isEmpty()) {
        b.append('\n');
      }
      b.append(file).append(": ").append(problem);
    }
    return b.toString();
  }
}
