package io.drover.cli.dev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The account PostgreSQL runs under. PostgreSQL refuses to run as root, so when drover runs as root
 * the database runs as the unprivileged {@code nobody} (through {@code setpriv}), owning its data
 * directory; otherwise it runs as the current user.
 *
 * @param name the account's name, e.g. {@code nobody}
 * @param uid its user id
 * @param gid its primary group id
 * @param switchUser whether commands must switch to it (true only when running as root)
 */
public record DatabaseAccount(String name, int uid, int gid, boolean switchUser) {
  static final String UNPRIVILEGED = "nobody";

  /** The account for this process: {@code nobody} when running as root, else the current user. */
  public static DatabaseAccount forThisProcess() {
    int uid = effectiveUid();
    if (uid != 0) {
      return new DatabaseAccount(System.getProperty("user.name"), uid, -1, false);
    }
    return lookup(UNPRIVILEGED);
  }

  /** The uid, gid of {@code name} from /etc/passwd. */
  static DatabaseAccount lookup(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
        String[] f = line.split(":");
        if (f.length > 3 && f[0].equals(name)) {
          return new DatabaseAccount(name, Integer.parseInt(f[2]), Integer.parseInt(f[3]), true);
        }
      }
    } catch (IOException | NumberFormatException e) {
      throw new DevFailure("cannot read /etc/passwd to find the account '" + name + "': " + e.getMessage(), e);
    }
    throw new DevFailure("running as root, PostgreSQL needs an unprivileged account, and '" + name
        + "' does not exist; create it (useradd --system " + name + ") or run drover as an ordinary user");
  }

  /** {@code command} as this account runs it. */
  public List<String> command(List<String> command) {
    if (!switchUser) {
      return command;
    }
    List<String> full = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--"));
    full.addAll(command);
    return full;
  }

  /** Makes {@code path} (a file or directory drover created) belong to this account. */
  public void own(Path path) {
    if (!switchUser) {
      return;
    }
    try {
      Files.setAttribute(path, "unix:uid", uid);
      Files.setAttribute(path, "unix:gid", gid);
    } catch (IOException e) {
      throw new DevFailure("cannot give " + path + " to the database account " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Lets this account reach {@code path}: every directory above it gets the search bit for others
   * where it lacks it (search only: names cannot be listed). Returns the directories changed.
   */
  public List<Path> makeReachable(Path path) {
    List<Path> changed = new ArrayList<>();
    if (!switchUser) {
      return changed;
    }
    for (Path dir = path.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
      try {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
        if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
          perms.add(PosixFilePermission.OTHERS_EXECUTE);
          Files.setPosixFilePermissions(dir, perms);
          changed.add(dir);
        }
      } catch (IOException e) {
        throw new DevFailure("cannot let the database account " + name + " reach " + dir + ": " + e.getMessage(), e);
      }
    }
    return changed;
  }

  static int effectiveUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      throw new DevFailure("cannot tell this process's user from /proc/self/status: " + e.getMessage(), e);
    }
    throw new DevFailure("/proc/self/status has no Uid line");
  }
}
