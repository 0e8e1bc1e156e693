package io.drover.agent.supervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a supervisord listens: the {@code file=} of the {@code [unix_http_server]} section of its
 * config ({@code %(here)s} expanded, inline comments dropped), or supervisord's Debian default
 * {@code /var/run/supervisor.sock} when the config names none.
 */
public final class SupervisordSocket {
  /** Debian's supervisord config. */
  public static final Path DEFAULT_CONFIG = Path.of("/etc/supervisor/supervisord.conf");
  /** Debian's supervisord socket. */
  public static final Path DEFAULT_SOCKET = Path.of("/var/run/supervisor.sock");

  private SupervisordSocket() {}

  /** The config a supervisorctl command line reads: its {@code -c FILE} / {@code --configuration=FILE}, else the default. */
  public static Path configOf(List<String> supervisorctlCommand) {
    for (int i = 1; i < supervisorctlCommand.size(); i++) {
      String word = supervisorctlCommand.get(i);
      if ((word.equals("-c") || word.equals("--configuration")) && i + 1 < supervisorctlCommand.size()) {
        return Path.of(supervisorctlCommand.get(i + 1));
      }
      if (word.startsWith("--configuration=")) {
        return Path.of(word.substring("--configuration=".length()));
      }
      if (word.startsWith("-c") && word.length() > 2) {
        return Path.of(word.substring(2));
      }
    }
    return DEFAULT_CONFIG;
  }

  /** The unix socket the supervisord configured by {@code config} listens on. */
  public static Path of(Path config) {
    if (!Files.isRegularFile(config)) {
      return DEFAULT_SOCKET;
    }
    String text;
    try {
      text = Files.readString(config);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read supervisord config " + config, e);
    }
    Path here = config.toAbsolutePath().getParent();
    String file = fileIn(text, here == null ? "." : here.toString());
    return file == null ? DEFAULT_SOCKET : Path.of(file);
  }

  /**
   * Whether a supervisord config's text has an {@code [inet_http_server]} section: a TCP control port
   * through which anyone who reaches it (and guesses or lacks a password) controls every program.
   */
  public static boolean hasInetHttpServer(String configText) {
    return configText.lines().map(String::strip).anyMatch(l -> l.equals("[inet_http_server]"));
  }

  /** {@link #hasInetHttpServer(String)} of the config file, false when it cannot be read. */
  public static boolean hasInetHttpServer(Path config) {
    try {
      return Files.isRegularFile(config) && hasInetHttpServer(Files.readString(config));
    } catch (IOException e) {
      return false;
    }
  }

  /** The {@code [unix_http_server] file=} of a supervisord config's text; null when absent. */
  static String fileIn(String configText, String here) {
    boolean inSection = false;
    for (String raw : configText.split("\n")) {
      String line = raw.strip();
      if (line.startsWith("[")) {
        inSection = line.equals("[unix_http_server]");
        continue;
      }
      if (!inSection || line.startsWith(";") || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq > 0 && line.substring(0, eq).strip().equals("file")) {
        String value = withoutComment(line.substring(eq + 1)).strip();
        return value.replace("%(here)s", here);
      }
    }
    return null;
  }

  /** Cuts an inline comment: {@code ;} or {@code #} after whitespace, as supervisord's ini parser does. */
  private static String withoutComment(String value) {
    for (int i = 1; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c == ';' || c == '#') && Character.isWhitespace(value.charAt(i - 1))) {
        return value.substring(0, i);
      }
    }
    return value;
  }
}
