package io.drover.cli.dev;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The host programs a sandboxed agent needs: nginx, supervisord and supervisorctl, and a python3
 * with gunicorn and flask. {@link #missing()} names those absent; {@link #check()} fails with how
 * to install them.
 */
public final class Prerequisites {
  /** The Debian/Ubuntu packages that provide everything. */
  public static final String INSTALL_HINT = "apt-get install nginx supervisor gunicorn python3-flask";
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

  private final List<Path> searchPath;
  private final String python;

  /**
   * @param searchPath directories to look for the programs in (like PATH)
   * @param python the python3 that runs gunicorn
   */
  public Prerequisites(List<Path> searchPath, String python) {
    this.searchPath = List.copyOf(searchPath);
    this.python = python;
  }

  /** Looks in /usr/sbin, /usr/bin and every directory of {@code path} (a PATH value: dirs separated by ':'). */
  public static Prerequisites onPath(String path, String python) {
    List<Path> dirs = new ArrayList<>(List.of(Path.of("/usr/sbin"), Path.of("/usr/bin")));
    for (String dir : path.split(":")) {
      if (!dir.isBlank()) {
        dirs.add(Path.of(dir));
      }
    }
    return new Prerequisites(dirs, python);
  }

  /** What is missing, e.g. {@code [nginx, gunicorn (python module for /usr/bin/python3)]}; empty when all is there. */
  public List<String> missing() {
    List<String> missing = new ArrayList<>();
    for (String program : List.of("nginx", "supervisord", "supervisorctl")) {
      if (find(program) == null) {
        missing.add(program);
      }
    }
    Path pythonPath = python.contains("/") ? Path.of(python) : find(python);
    if (pythonPath == null || !Files.isExecutable(pythonPath)) {
      missing.add("python3 (" + python + ")");
      return missing;
    }
    for (String module : List.of("gunicorn", "flask")) {
      if (!Exec.run(List.of(pythonPath.toString(), "-c", "import " + module), null, PROBE_TIMEOUT).ok()) {
        missing.add(module + " (python module for " + pythonPath + ")");
      }
    }
    return missing;
  }

  /** Throws, naming what is missing and how to install it, unless everything is there. */
  public void check() {
    List<String> missing = missing();
    if (!missing.isEmpty()) {
      throw new DevFailure("missing " + String.join(", ", missing) + "; on Debian/Ubuntu install them with: "
          + INSTALL_HINT);
    }
  }

  private Path find(String program) {
    for (Path dir : searchPath) {
      Path candidate = dir.resolve(program);
      if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
