package io.drover.agent.bundle;

import io.drover.agent.host.AppUsers;
import io.drover.agent.host.AsUser;
import io.drover.agent.host.HostCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The spec's {@code build.command} run in a new release directory before its processes start: with
 * {@code /bin/sh -c}, as the app's user (who owns the release while it runs, so it may write there,
 * e.g. {@code collectstatic}), with the app's environment and secrets, the release's virtualenv
 * first on {@code PATH} and {@code DROVER_PYTHON} the interpreter that runs the app.
 */
public final class ReleaseBuild {
  /** How long a build may take. */
  public static final Duration TIMEOUT = Duration.ofMinutes(10);
  /** How many of the build's last output lines a failure carries. */
  public static final int TAIL = 20;
  private static final String SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin";

  private ReleaseBuild() {}

  /** Why the build failed: its exit code, with its last lines of output. */
  public static final class BuildFailedException extends RuntimeException {
    private final transient List<String> outputTail;

    BuildFailedException(String message, List<String> outputTail) {
      super(message);
      this.outputTail = List.copyOf(outputTail);
    }

    public List<String> outputTail() {
      return outputTail;
    }
  }

  /**
   * Runs {@code command} in {@code release}; {@code agent} gets the release back afterwards.
   *
   * @param environment the app's env and secrets
   * @param python the interpreter that runs the app (the virtualenv's when there is one)
   */
  public static void run(String command, Path release, AppUsers.AppUser user, AppUsers.Account agent,
      Map<String, String> environment, String python) {
    Map<String, String> env = new TreeMap<>(environment);
    Path venv = release.resolve("venv");
    String path = SYSTEM_PATH;
    if (Files.isDirectory(venv.resolve("bin"))) {
      path = venv.resolve("bin") + ":" + path;
      env.putIfAbsent("VIRTUAL_ENV", venv.toString());
    }
    env.putIfAbsent("PATH", path);
    env.put("DROVER_PYTHON", python);
    if (user.switchTo()) {
      AsUser.chown(release, user.account());
    }
    HostCommand.Result result;
    try {
      result = HostCommand.run(AsUser.command(user, env, List.of("/bin/sh", "-c", command)), release, TIMEOUT);
    } finally {
      if (user.switchTo()) {
        AsUser.chown(release, agent);
      }
    }
    if (!result.ok()) {
      String why = result.exitCode() == HostCommand.TIMED_OUT ? "did not finish within " + TIMEOUT.toMinutes() + "m"
          : "failed (exit " + result.exitCode() + ")";
      throw new BuildFailedException("build.command " + why + ": " + firstLine(command), result.tail(TAIL));
    }
  }

  private static String firstLine(String command) {
    String line = command.strip().lines().findFirst().orElse("");
    return line.length() > 80 ? line.substring(0, 77) + "..." : line;
  }
}
