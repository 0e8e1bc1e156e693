package io.drover.agent.bundle;

import io.drover.agent.host.AppUsers;
import io.drover.agent.host.AsUser;
import io.drover.agent.host.Directories;
import io.drover.agent.host.HostCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The Python environment of a release: when it has {@code requirements.txt}, a virtualenv in {@code
 * <release>/venv} (with the system site packages) and the requirements installed into it. With
 * {@link Options}: a release whose {@code requirements.txt} is byte for byte that of another release
 * of the app still on the host, made with the same interpreter, gets a copy of that release's
 * virtualenv (its paths rewritten, never shared), so a rollback does not reach the package index;
 * else {@code venv} and {@code pip} run as the app's user with a pip cache of the app's own.
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

  /**
   * Who prepares a release and from what: the app's user (pip runs as it), the agent's own account
   * (which gets the release back), the app's pip cache, and the app's other releases on the host.
   */
  public record Options(AppUsers.AppUser user, AppUsers.Account agent, Path pipCache, List<Path> otherReleases) {
    public Options {
      otherReleases = List.copyOf(otherReleases);
    }
  }

  /** The file in a virtualenv that names the interpreter it was made with. */
  static final String MADE_WITH = ".drover-python";

  /** Whether {@code release} has requirements to install. */
  public static boolean needed(Path release) {
    return Files.isRegularFile(release.resolve("requirements.txt"));
  }

  /** Prepares the release as the agent, without reuse or cache, and returns the python that must run it. */
  public static String prepare(Path release, String systemPython) {
    return prepare(release, systemPython, null);
  }

  /** Prepares the release and returns the python that must run it. */
  public static String prepare(Path release, String systemPython, Options options) {
    Path requirements = release.resolve("requirements.txt");
    if (!Files.isRegularFile(requirements)) {
      return systemPython;
    }
    Path venv = release.resolve("venv");
    if (options != null) {
      for (Path other : options.otherReleases()) {
        if (reusable(other, requirements, systemPython)) {
          copy(other.resolve("venv"), venv);
          return venv.resolve("bin/python").toString();
        }
      }
    }
    boolean switchUser = options != null && options.user().switchTo();
    if (switchUser) {
      AsUser.chown(release, options.user().account());
    }
    try {
      install(release, venv, requirements, systemPython, options);
    } finally {
      if (switchUser) {
        AsUser.chown(release, options.agent());
      }
    }
    return venv.resolve("bin/python").toString();
  }

  private static void install(Path release, Path venv, Path requirements, String systemPython, Options options) {
    Map<String, String> env = new TreeMap<>();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("LANG", "C.UTF-8");
    env.put("PIP_DISABLE_PIP_VERSION_CHECK", "1");
    if (options != null) {
      AppUsers.Account account = options.user().switchTo() ? options.user().account() : options.agent();
      env.put("HOME", account.home());
      if (options.pipCache() != null) {
        Directories.createPrivate(options.pipCache());
        if (options.user().switchTo()) {
          AsUser.chown(options.pipCache(), account);
        }
        env.put("PIP_CACHE_DIR", options.pipCache().toString());
      }
    }
    AppUsers.AppUser runAs = options == null ? null : options.user();
    HostCommand.Result created = HostCommand.run(asUser(runAs, env,
        List.of(systemPython, "-m", "venv", "--system-site-packages", venv.toString())), release, VENV_TIMEOUT);
    if (!created.ok()) {
      throw new VirtualenvException("cannot create virtualenv " + venv + " (exit " + created.exitCode() + ")",
          created.tail(20));
    }
    String python = venv.resolve("bin/python").toString();
    HostCommand.Result installed = HostCommand.run(asUser(runAs, env,
        List.of(python, "-m", "pip", "install", "--disable-pip-version-check", "-r", requirements.toString())),
        release, PIP_TIMEOUT);
    if (!installed.ok()) {
      throw new VirtualenvException("pip install -r requirements.txt failed (exit " + installed.exitCode() + ")",
          installed.tail(20));
    }
    writeMadeWith(venv, systemPython);
  }

  private static List<String> asUser(AppUsers.AppUser user, Map<String, String> env, List<String> command) {
    return user == null ? command : AsUser.command(user, env, command);
  }

  private static void writeMadeWith(Path venv, String systemPython) {
    try {
      Files.writeString(venv.resolve(MADE_WITH), systemPython + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + venv.resolve(MADE_WITH), e);
    }
  }

  /** Whether {@code other}'s virtualenv was made from the same requirements with the same interpreter. */
  static boolean reusable(Path other, Path requirements, String systemPython) {
    try {
      Path made = other.resolve("venv").resolve(MADE_WITH);
      return Files.isRegularFile(other.resolve("requirements.txt"), LinkOption.NOFOLLOW_LINKS)
          && Files.isRegularFile(made, LinkOption.NOFOLLOW_LINKS)
          && Files.readString(made).strip().equals(systemPython)
          && Files.mismatch(other.resolve("requirements.txt"), requirements) == -1;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Copies the virtualenv {@code from} to {@code to} ({@code cp -a}: links and modes kept) and
   * rewrites {@code from}'s path to {@code to}'s in its {@code bin} scripts (shebangs, activate).
   */
  static void copy(Path from, Path to) {
    HostCommand.Result copied = HostCommand.run(List.of("/bin/cp", "-a", from.toString(), to.toString()), VENV_TIMEOUT);
    if (!copied.ok()) {
      throw new VirtualenvException("cannot copy the virtualenv " + from + " (exit " + copied.exitCode() + ")",
          copied.tail(20));
    }
    byte[] old = from.toString().getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> scripts = Files.list(to.resolve("bin"))) {
      for (Path script : (Iterable<Path>) scripts::iterator) {
        if (!Files.isRegularFile(script, LinkOption.NOFOLLOW_LINKS) || Files.size(script) > 1 << 20) {
          continue;
        }
        String text = new String(Files.readAllBytes(script), StandardCharsets.ISO_8859_1);
        String oldPath = new String(old, StandardCharsets.ISO_8859_1);
        if (text.contains(oldPath)) {
          Files.write(script, text.replace(oldPath, to.toString()).getBytes(StandardCharsets.ISO_8859_1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite the scripts of " + to + ": " + e.getMessage(), e);
    }
  }

  /** The python of an already prepared release. */
  public static String pythonOf(Path release, String systemPython) {
    Path venvPython = release.resolve("venv/bin/python");
    return Files.isExecutable(venvPython) ? venvPython.toString() : systemPython;
  }
}
