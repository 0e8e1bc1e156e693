package io.drover.agent.host;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A write that failed because the filesystem is full (ENOSPC) or the user's quota is spent (EDQUOT),
 * recognised from the exception or a tool's output, and described with where it happened and how
 * much room is left there.
 */
public final class NoSpaceLeft {
  private static final List<String> MARKS = List.of("No space left on device", "Disk quota exceeded", "[Errno 28]");

  private NoSpaceLeft() {}

  /** Whether {@code e} or one of its causes is an I/O error of a full filesystem. */
  public static boolean causedBy(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException && t.getMessage() != null && mentioned(t.getMessage())) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** Whether a tool's output (e.g. pip's) says it ran out of space. */
  public static boolean inOutput(List<String> lines) {
    return lines.stream().anyMatch(NoSpaceLeft::mentioned);
  }

  /**
   * The reason to report, e.g. "no space left on device while extracting the release to
   * /var/lib/drover-apps/releases/hello/4 (12 KiB free on /var (/dev/sda1))".
   *
   * @param doing what the agent was doing, e.g. "extracting the release to /path"
   * @param where a path on the filesystem that is full (it need not exist)
   */
  public static String reason(String doing, Path where) {
    return "no space left on device while " + doing + room(where);
  }

  private static boolean mentioned(String text) {
    return MARKS.stream().anyMatch(text::contains);
  }

  /** " (N free on MOUNT (DEVICE))" for the filesystem of the nearest existing ancestor of {@code where}, or "" if unknown. */
  private static String room(Path where) {
    Path p = where.toAbsolutePath();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    if (p == null) {
      return "";
    }
    try {
      FileStore store = Files.getFileStore(p);
      return " (" + bytes(store.getUsableSpace()) + " free on " + store + ")"; // "MOUNT (DEVICE)"
    } catch (IOException e) {
      return "";
    }
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " bytes";
    }
    if (n < 1024 * 1024) {
      return n / 1024 + " KiB";
    }
    return n / (1024 * 1024) + " MiB";
  }
}
