package io.drover.cli.command;

import java.nio.file.Path;

/** Where the server and the agent keep their files unless told: under the XDG data home. */
final class DataDirs {
  private DataDirs() {}

  /** {@code $XDG_DATA_HOME/drover/<role>}, else {@code ~/.local/share/drover/<role>}. */
  static Path defaultFor(String role) {
    String xdg = System.getenv("XDG_DATA_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("drover").resolve(role);
  }
}
