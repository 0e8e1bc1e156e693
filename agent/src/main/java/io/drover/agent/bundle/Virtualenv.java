package io.drover.agent.bundle;

import io.drover.agent.host.HostCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The Python environment of a release: when it has {@code requirements.txt}, a virtualenv in {@code
 * <release>/venv} (with the system site packages) and the requirements installed into it.
 */
public final class Virtualenv {
  private static final Duration VENV_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration PIP_TIMEOUT = Duration.ofMinutes(10);

  private Virtualenv() {}

  /** Why the environment could not be prepared, with the tail of the tool's output. */
  public static final class VirtualenvException extends RuntimeException {
    private final transient List<String> outputTail;

    public VirtualenvException(String message, List<String> outputTail) {
      super(message);
      this.outputTail = List.copyOf(outputTail);
    }

    public List<String> outputTail() {
      return outputTail;
    }
  }

  /** Prepares the release and returns the python that must run it. */
  public static String prepare(Path release, String systemPython) {
    Path requirements = release.resolve("requirements.txt");
    if (!Files.isRegularFile(requirements)) {
      return systemPython;
    }
    Path venv = release.resolve("venv");
    HostCommand.Result created = HostCommand.run(
        List.of(systemPython, "-m", "venv", "--system-site-packages", venv.toString()), release, VENV_TIMEOUT);
    if (!created.ok()) {
      throw new VirtualenvException("cannot create virtualenv " + venv + " (exit " + created.exitCode() + ")",
          created.tail(20));
    }
    String python = venv.resolve("bin/python").toString();
    HostCommand.Result installed = HostCommand.run(
        List.of(python, "-m", "pip", "install", "--disable-pip-version-check", "-r", requirements.toString()),
        release, PIP_TIMEOUT);
    if (!installed.ok()) {
      throw new VirtualenvException("pip install -r requirements.txt failed (exit " + installed.exitCode() + ")",
          installed.tail(20));
    }
    return python;
  }

  /** The python of an already prepared release. */
  public static String pythonOf(Path release, String systemPython) {
    Path venvPython = release.resolve("venv/bin/python");
    return Files.isExecutable(venvPython) ? venvPython.toString() : systemPython;
  }
}
