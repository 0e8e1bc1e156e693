package io.drover.cli.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the CLI's output goes to: whether stdout and stderr are terminals, and whether to use colour
 * (only on a terminal, never with {@code --no-color} or {@code NO_COLOR}, nor for {@code TERM=dumb}).
 *
 * @param stdoutIsTerminal stdout is a terminal (live progress may redraw in place)
 * @param stderrIsTerminal stderr is a terminal
 * @param color whether to write ANSI colours
 */
public record Terminal(boolean stdoutIsTerminal, boolean stderrIsTerminal, boolean color) {
  /** Plain output: no terminal, no colour (tests, pipes). */
  public static final Terminal PLAIN = new Terminal(false, false, false);

  private static final String GREEN = "\u001b[32m";
  private static final String RED = "\u001b[31m";
  private static final String YELLOW = "\u001b[33m";
  private static final String BOLD = "\u001b[1m";
  private static final String RESET = "\u001b[0m";

  /**
   * Detects this process's terminal from /proc/self/fd and {@code term}, the value of TERM (none or
   * {@code dumb}: no terminal features); {@code noColor} (--no-color, NO_COLOR) turns colour off.
   */
  public static Terminal detect(String term, boolean noColor) {
    boolean dumb = term == null || term.isEmpty() || term.equals("dumb");
    boolean out = isTerminal(1) && !dumb;
    boolean err = isTerminal(2) && !dumb;
    return new Terminal(out, err, out && !noColor);
  }

  /** True when file descriptor {@code fd} of this process is a terminal device. */
  static boolean isTerminal(int fd) {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** {@code text} in green when colour is on: a good state (running, healthy, up). */
  public String good(String text) {
    return paint(GREEN, text);
  }

  /** {@code text} in red when colour is on: a failure. */
  public String bad(String text) {
    return paint(RED, text);
  }

  /** {@code text} in yellow when colour is on: in progress or a warning. */
  public String pending(String text) {
    return paint(YELLOW, text);
  }

  /** {@code text} in bold when colour is on. */
  public String strong(String text) {
    return paint(BOLD, text);
  }

  private String paint(String code, String text) {
    return color ? code + text + RESET : text;
  }
}
