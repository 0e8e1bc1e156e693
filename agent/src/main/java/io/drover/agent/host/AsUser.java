package io.drover.agent.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Commands the agent runs on an app's behalf (its build, its pip install) as the app's user with
 * exactly the app's environment: {@code setpriv} switches to the account (uid, gid, no supplementary
 * groups) when the agent is root, and {@code env -i} gives the command nothing of the agent's own
 * environment. Also hands a directory to the account and takes it back, so such a command may write
 * where it runs.
 */
public final class AsUser {
  /** Where {@code setpriv} is on every Debian-like host (util-linux). */
  public static final String SETPRIV = "/usr/bin/setpriv";
  private static final String ENV = "/usr/bin/env";

  private AsUser() {}

  /**
   * {@code command} run as {@code user} (as the agent itself when {@code user} is not switched to)
   * with only {@code environment}.
   */
  public static List<String> command(AppUsers.AppUser user, Map<String, String> environment, List<String> command) {
    List<String> words = new ArrayList<>();
    if (user.switchTo()) {
      AppUsers.Account a = user.account();
      words.addAll(List.of(SETPRIV, "--reuid=" + a.uid(), "--regid=" + a.gid(), "--clear-groups", "--"));
    }
    words.add(ENV);
    words.add("-i");
    new TreeMap<>(environment).forEach((name, value) -> words.add(name + "=" + value));
    words.addAll(command);
    return words;
  }

  /** Makes {@code account} the owner of {@code root} and everything in it (symbolic links themselves, not followed). */
  public static void chown(Path root, AppUsers.Account account) {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Files.setAttribute(p, "unix:uid", account.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", account.gid(), LinkOption.NOFOLLOW_LINKS);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot give " + root + " to " + account.name() + ": " + e.getMessage(), e);
    }
  }
}
