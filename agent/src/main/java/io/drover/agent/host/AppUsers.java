package io.drover.agent.host;

import io.drover.spec.SpecRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Which account an app's processes run as. An agent running as root runs each app as the spec's
 * {@code user}, else as {@value #DEDICATED} when that account exists, else as {@value #FALLBACK};
 * never as uid 0. An agent that is not root cannot switch users: its apps run as its own account,
 * and a spec naming another account is refused.
 */
public final class AppUsers {
  /** The account made for Drover's apps, used by default where it exists. */
  public static final String DEDICATED = "drover-app";
  /** The default account where there is no {@value #DEDICATED}. */
  public static final String FALLBACK = "nobody";
  private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);

  /** An account: its name, ids and home directory. */
  public record Account(String name, int uid, int gid, String home) {}

  /**
   * The account an app runs as, and whether Supervisor must switch to it ({@code user=}): false when
   * it is the agent's own account.
   */
  public record AppUser(Account account, boolean switchTo) {
    /** The name for Supervisor's {@code user=}, empty when there is no switch. */
    public String supervisorUser() {
      return switchTo ? account.name() : "";
    }
  }

  /** Why an app cannot run as the account its spec names (or the default one). */
  public static final class AppUserException extends RuntimeException {
    public AppUserException(String message) {
      super(message);
    }
  }

  private final Account agent;
  private final Function<String, Optional<Account>> lookup;

  /** Users as seen by an agent running as {@code agent}, looking accounts up with {@code lookup}. */
  public AppUsers(Account agent, Function<String, Optional<Account>> lookup) {
    this.agent = agent;
    this.lookup = lookup;
  }

  /** This host's accounts (getent passwd), seen by this process. */
  public static AppUsers ofThisHost() {
    int uid = effectiveUid();
    Account self = getent(Integer.toString(uid))
        .orElse(new Account(System.getProperty("user.name"), uid, -1, System.getProperty("user.home")));
    return new AppUsers(self, AppUsers::getent);
  }

  /** The account of the agent itself. */
  public Account agent() {
    return agent;
  }

  /** The account an app whose spec says {@code user} (empty: the default) runs as. */
  public AppUser forApp(String user) {
    String problem = SpecRules.userProblem(user);
    if (problem != null) {
      throw new AppUserException("user: " + problem);
    }
    if (agent.uid() != 0) {
      if (!user.isEmpty() && !user.equals(agent.name())) {
        throw new AppUserException("user: the agent runs as " + agent.name() + ", not root, so it cannot run apps as "
            + user + "; leave user out or run the agent as root");
      }
      return new AppUser(agent, false);
    }
    String name = !user.isEmpty() ? user : lookup.apply(DEDICATED).isPresent() ? DEDICATED : FALLBACK;
    Account account = lookup.apply(name).orElseThrow(() -> new AppUserException(
        "user: this host has no account " + name + (user.isEmpty() ? " (the default app user)" : "")));
    if (account.uid() == 0) {
      throw new AppUserException("user: " + name + " has uid 0; apps never run as root");
    }
    return new AppUser(account, true);
  }

  /**
   * Throws unless {@code account} may enter every directory from the root down to {@code path}, as
   * its owner, through its group, or as any other user; the message names the first directory that
   * stops it.
   */
  public static void requireReachable(Account account, Path path) {
    Path abs = path.toAbsolutePath().normalize();
    for (int i = 1; i <= abs.getNameCount(); i++) {
      Path dir = abs.getRoot().resolve(abs.subpath(0, i));
      try {
        int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int group = (Integer) Files.getAttribute(dir, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
        boolean enter = owner == account.uid() ? perms.contains(PosixFilePermission.OWNER_EXECUTE)
            : group == account.gid() ? perms.contains(PosixFilePermission.GROUP_EXECUTE)
            : perms.contains(PosixFilePermission.OTHERS_EXECUTE);
        if (!enter) {
          throw new AppUserException("the app user " + account.name() + " cannot reach " + dir + " (mode "
              + PosixFilePermissions.toString(perms) + ", owner uid " + owner + "); let others enter it (chmod o+x) "
              + "or put the agent's --data-dir where every user can reach it");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the permissions of " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  /** The account named {@code nameOrUid} per {@code getent passwd}, empty when there is none. */
  static Optional<Account> getent(String nameOrUid) {
    HostCommand.Result r = HostCommand.run(List.of("getent", "passwd", nameOrUid), LOOKUP_TIMEOUT);
    if (!r.ok()) {
      return Optional.empty();
    }
    return parsePasswd(r.output().lines().findFirst().orElse(""));
  }

  /** One passwd line, {@code name:x:uid:gid:gecos:home:shell}. */
  static Optional<Account> parsePasswd(String line) {
    String[] f = line.strip().split(":", -1);
    if (f.length < 7) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Account(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[5]));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The effective uid of this process, from /proc/self/status. */
  static int effectiveUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("cannot tell this process's user from /proc/self/status: " + e.getMessage(), e);
    }
    throw new IllegalStateException("/proc/self/status has no Uid line");
  }
}
