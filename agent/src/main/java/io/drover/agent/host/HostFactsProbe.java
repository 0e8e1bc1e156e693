package io.drover.agent.host;

import io.drover.api.v1.HostFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what the server should know about this host: CPUs, memory, OS and tool versions. */
public final class HostFactsProbe {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern VERSION = Pattern.compile("(\\d+(?:\\.\\d+)+)");

  private HostFactsProbe() {}

  public static HostFacts probe(String nginx, String supervisord, String python) {
    return HostFacts.newBuilder()
        .setCpuCount(Runtime.getRuntime().availableProcessors())
        .setMemoryBytes(ProcMeminfo.read().getOrDefault("MemTotal", 0L))
        .setOs(os())
        .setNginxVersion(version(List.of(nginx, "-v")))
        .setSupervisordVersion(version(List.of(supervisord, "--version")))
        .setGunicornVersion(version(List.of(python, "-m", "gunicorn", "--version")))
        .setPythonVersion(version(List.of(python, "--version")))
        .build();
  }

  /** The first dotted version number the command prints, or "" when it is missing or fails. */
  static String version(List<String> command) {
    HostCommand.Result result = HostCommand.run(command, TIMEOUT);
    if (!result.ok()) {
      return "";
    }
    Matcher m = VERSION.matcher(result.output());
    return m.find() ? m.group(1) : "";
  }

  static String os() {
    String pretty = "";
    try {
      for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
        if (line.startsWith("PRETTY_NAME=")) {
          pretty = line.substring("PRETTY_NAME=".length()).replace("\"", "");
        }
      }
    } catch (IOException e) {
      pretty = System.getProperty("os.name");
    }
    return (pretty + " (kernel " + System.getProperty("os.version") + ")").strip();
  }
}
