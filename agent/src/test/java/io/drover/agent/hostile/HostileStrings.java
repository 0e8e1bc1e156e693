package io.drover.agent.hostile;

import java.util.List;
import java.util.Random;

/**
 * Random strings built to break config files: syntax of nginx, Python and Supervisor's ini and
 * shlex, line breaks, NUL, quotes, variables, format specs, non-ASCII and broken UTF-16, mixed with
 * plain characters. Seeded, so a failure repeats with the seed it prints: set {@code
 * -Ddrover.seed=N} to rerun one.
 */
public final class HostileStrings {
  private static final List<String> PIECES = List.of(
      ";", "{", "}", "\"", "'", "#", "$", "\\", "\n", "\r", "\r\n", "\0", "\t", "%", "%%", " ", "  ", "=", ",", ":", "/",
      ".", "-", "*", "_", "[", "]", "(", ")", "`", "|", "&", "<", ">", "~", "!", "?", "@",
      "ü", "漢字", "\uD83D\uDE00", "\u00A0", "\u2028", "\u0085", "\u007F", "\u001B", "\uD800", "\uDC00", "\u200B",
      "${host}", "$remote_addr", "%(ENV_HOME)s", "%(here)s", "}; server { listen 81; }", "\"; return 302 x; #",
      " ;comment", " #comment", "\ninclude /etc/passwd;", "\n[program:evil]\ncommand=/bin/sh\n", "__import__('os')",
      "\"\"\"", "'''", "\\n", "\\\"", "' \"", "a.b", "web", "A_B", "x-1", "1");
  private static final String PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._";

  private final long seed;
  private final Random random;

  private HostileStrings(long seed) {
    this.seed = seed;
    this.random = new Random(seed);
  }

  /** A generator seeded from {@code -Ddrover.seed}, else from the clock. */
  public static HostileStrings seeded() {
    String fixed = System.getProperty("drover.seed");
    return new HostileStrings(fixed != null ? Long.parseLong(fixed) : System.nanoTime());
  }

  public long seed() {
    return seed;
  }

  /** How to rerun a failing case, for assertion messages. */
  public String rerun() {
    return "seed " + seed + " (rerun with -Ddrover.seed=" + seed + ")";
  }

  public Random random() {
    return random;
  }

  /** One to {@code maxParts} pieces, each hostile or a run of plain characters. */
  public String next(int maxParts) {
    StringBuilder b = new StringBuilder();
    int parts = 1 + random.nextInt(maxParts);
    for (int i = 0; i < parts; i++) {
      if (random.nextBoolean()) {
        b.append(PIECES.get(random.nextInt(PIECES.size())));
      } else {
        b.append(plain(1 + random.nextInt(8)));
      }
    }
    return b.toString();
  }

  /**
   * A hostile string that can be a path segment here: ASCII without NUL and {@code /} (a JVM in the
   * POSIX locale maps file names as ASCII, and no file name holds NUL or {@code /}), not {@code ..}.
   */
  public String pathSegment(int maxParts) {
    StringBuilder b = new StringBuilder();
    next(maxParts).chars().filter(c -> c > 0 && c < 0x80 && c != '/').forEach(c -> b.append((char) c));
    String s = b.toString();
    return s.isEmpty() || s.equals(".") || s.equals("..") ? "x" + s : s;
  }

  /** {@code length} characters of {@code [A-Za-z0-9._-]}. */
  public String plain(int length) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      b.append(PLAIN.charAt(random.nextInt(PLAIN.length())));
    }
    return b.toString();
  }

  /** A lower-case DNS name, sometimes a wildcard: mostly valid, sometimes a label too long or empty. */
  public String domain() {
    StringBuilder b = new StringBuilder(random.nextInt(5) == 0 ? "*." : "");
    int labels = 1 + random.nextInt(3);
    for (int i = 0; i < labels; i++) {
      if (i > 0) {
        b.append('.');
      }
      b.append(plain(1 + random.nextInt(random.nextInt(10) == 0 ? 70 : 10)).toLowerCase().replace('.', 'x').replace('_', 'y'));
    }
    return b.toString();
  }

  /** {@code p} is true with probability {@code percent}/100. */
  public boolean chance(int percent) {
    return random.nextInt(100) < percent;
  }

  /** Printable form of a string for messages: control characters and broken UTF-16 as {@code \\uXXXX}. */
  public static String show(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (Character.isISOControl(c) || Character.isSurrogate(c) || c == '"' || c == '\\') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
