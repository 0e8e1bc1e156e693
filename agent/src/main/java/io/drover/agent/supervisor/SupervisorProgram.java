package io.drover.agent.supervisor;

import io.drover.spec.SpecRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One {@code [program:...]} section: the command Supervisor keeps running for an app revision, the
 * user it runs as, its directory, environment and log files.
 *
 * <p>The environment is not written as Supervisor's {@code environment=}: Supervisor splits that
 * with a non-POSIX shlex that has no escapes and strips quote characters from both ends of each
 * value, so a value holding both {@code '} and {@code "}, or starting with a quote, cannot be
 * carried. Instead the command starts with {@code /usr/bin/env -- NAME=VALUE...}: Supervisor splits
 * {@code command=} with POSIX {@code shlex.split}, where single quotes carry anything. Every value
 * in the section also passes Supervisor's ini parser (which cuts {@code ;} or {@code #} after
 * whitespace as a comment) and its {@code %} expansion, so {@code %} is doubled and {@code ;},
 * {@code #} and {@code '} are written outside the quotes, backslash-escaped. What cannot be written
 * safely (line breaks and other control characters, ...) is refused with {@link
 * UnsupportedValueException}.
 *
 * @param user the account the program runs as ({@code user=}); empty: the account of supervisord
 * @param stopWaitSeconds how long Supervisor waits for the program to stop after {@code TERM} before
 *     it kills it ({@code stopwaitsecs=})
 */
public record SupervisorProgram(
    String name, List<String> command, Path directory, Map<String, String> environment, String user,
    Path stdoutLog, Path stderrLog, int stopWaitSeconds) {

  /** Supervisor's own {@code stopwaitsecs}. */
  public static final int DEFAULT_STOP_WAIT_SECONDS = 10;

  /** A program that gets Supervisor's default time to stop. */
  public SupervisorProgram(String name, List<String> command, Path directory, Map<String, String> environment,
      String user, Path stdoutLog, Path stderrLog) {
    this(name, command, directory, environment, user, stdoutLog, stderrLog, DEFAULT_STOP_WAIT_SECONDS);
  }

  /** Where {@code env} is on every Debian-like host. */
  public static final String ENV_BINARY = "/usr/bin/env";

  private static final Pattern PROGRAM_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
  private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=+,@-]+");
  // Python's configparser takes any Unicode white space before ; or # as the start of a comment
  private static final Pattern INLINE_COMMENT = Pattern.compile("(?U)\\s[;#]");

  public SupervisorProgram {
    if (!PROGRAM_NAME.matcher(name).matches()) {
      throw new UnsupportedValueException("program name " + name + " is not usable in a supervisor section header");
    }
    command = List.copyOf(command);
    if (command.isEmpty()) {
      throw new UnsupportedValueException("program " + name + " has no command");
    }
    environment = new TreeMap<>(environment);
    user = user == null ? "" : user;
    if (stopWaitSeconds < 1) {
      throw new UnsupportedValueException("program " + name + ": stopwaitsecs must be at least 1, got " + stopWaitSeconds);
    }
    String userProblem = SpecRules.userProblem(user);
    if (userProblem != null) {
      throw new UnsupportedValueException("user: " + userProblem);
    }
  }

  /** The program name of an app revision, e.g. {@code drover-hello-2}. */
  public static String nameOf(String app, long revision) {
    return "drover-" + app + "-" + revision;
  }

  /** A value that Supervisor's config syntax cannot carry. */
  public static final class UnsupportedValueException extends IllegalArgumentException {
    public UnsupportedValueException(String message) {
      super(message);
    }
  }

  public String render() {
    StringBuilder b = new StringBuilder();
    b.append("; written by the drover agent\n");
    b.append("[program:").append(name).append("]\n");
    b.append("command=").append(commandLine(argv())).append('\n');
    if (!user.isEmpty()) {
      b.append("user=").append(user).append('\n');
    }
    b.append("directory=").append(plainValue("directory", directory.toString())).append('\n');
    b.append("autostart=true\n");
    b.append("autorestart=true\n");
    b.append("startsecs=1\n");
    b.append("startretries=3\n");
    b.append("stopasgroup=true\n");
    b.append("killasgroup=true\n");
    b.append("stopsignal=TERM\n");
    b.append("stopwaitsecs=").append(stopWaitSeconds).append('\n');
    b.append("stdout_logfile=").append(plainValue("stdout_logfile", stdoutLog.toString())).append('\n');
    b.append("stderr_logfile=").append(plainValue("stderr_logfile", stderrLog.toString())).append('\n');
    return b.toString();
  }

  /**
   * The words Supervisor will execute: {@code /usr/bin/env -- NAME=VALUE... command...} when there
   * is an environment, else the command.
   */
  public List<String> argv() {
    List<String> words = new ArrayList<>();
    if (!environment.isEmpty()) {
      words.add(ENV_BINARY);
      words.add("--");
      for (Map.Entry<String, String> e : environment.entrySet()) {
        if (!ENV_KEY.matcher(e.getKey()).matches()) {
          throw new UnsupportedValueException("env." + e.getKey() + ": not a valid environment variable name");
        }
        words.add(e.getKey() + "=" + e.getValue());
      }
    }
    words.addAll(command);
    return words;
  }

  /** The words as one {@code command=} value that shlex.split, after Supervisor's ini parser and % expansion, gives back. */
  static String commandLine(List<String> words) {
    StringBuilder b = new StringBuilder();
    for (String word : words) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(shellWord(word));
    }
    return b.toString();
  }

  /**
   * One word for POSIX shlex: plain words as they are, others single-quoted with {@code '}, {@code
   * ;} and {@code #} outside the quotes, backslash-escaped; {@code %} doubled throughout.
   */
  static String shellWord(String word) {
    refuseUnwritable("command word", word);
    if (PLAIN.matcher(word).matches()) {
      return word;
    }
    StringBuilder b = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      if (c == '\'' || c == ';' || c == '#') {
        if (quoted) {
          b.append('\'');
          quoted = false;
        }
        b.append('\\').append(c);
      } else {
        if (!quoted) {
          b.append('\'');
          quoted = true;
        }
        b.append(c == '%' ? "%%" : String.valueOf(c));
      }
    }
    if (quoted) {
      b.append('\'');
    }
    return b.length() == 0 ? "''" : b.toString();
  }

  /** A value Supervisor reads as is after its ini parser and % expansion (paths): {@code %} doubled, the rest refused. */
  private static String plainValue(String key, String value) {
    refuseUnwritable(key, value);
    if (INLINE_COMMENT.matcher(value).find() || !value.strip().equals(value) || value.isEmpty()) {
      throw new UnsupportedValueException(key + ": " + value + " cannot be written in a supervisor config "
          + "(';' or '#' after a space, or surrounding spaces)");
    }
    return value.replace("%", "%%");
  }

  /** Refuses characters no supervisor config value can carry: line breaks and the other control characters but tab. */
  private static void refuseUnwritable(String what, String value) {
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      int type = Character.getType(c);
      if ((Character.isISOControl(c) && c != '\t') || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE) {
        throw new UnsupportedValueException(what + ": character " + String.format("U+%04X", c)
            + " cannot be written in a supervisor config");
      }
      i += Character.charCount(c);
    }
  }
}
