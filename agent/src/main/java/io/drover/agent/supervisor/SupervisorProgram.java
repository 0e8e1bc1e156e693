package io.drover.agent.supervisor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One {@code [program:...]} section: the command Supervisor keeps running for an app revision, its
 * directory, environment and log files.
 */
public record SupervisorProgram(
    String name, List<String> command, Path directory, Map<String, String> environment,
    Path stdoutLog, Path stderrLog) {

  private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_./:=+,@%-]+");

  public SupervisorProgram {
    command = List.copyOf(command);
    environment = new TreeMap<>(environment);
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
    b.append("command=").append(commandLine(command)).append('\n');
    b.append("directory=").append(percent(directory.toString())).append('\n');
    if (!environment.isEmpty()) {
      b.append("environment=").append(environmentLine(environment)).append('\n');
    }
    b.append("autostart=true\n");
    b.append("autorestart=true\n");
    b.append("startsecs=1\n");
    b.append("startretries=3\n");
    b.append("stopasgroup=true\n");
    b.append("killasgroup=true\n");
    b.append("stopsignal=TERM\n");
    b.append("stdout_logfile=").append(percent(stdoutLog.toString())).append('\n');
    b.append("stderr_logfile=").append(percent(stderrLog.toString())).append('\n');
    return b.toString();
  }

  /**
   * Supervisor's {@code environment=} value: {@code KEY="value",...}. Supervisor splits it with a
   * non-POSIX shlex (no escapes inside quotes) and strips quote characters from both ends, after its
   * ini parser cut inline comments ({@code ;} or {@code #} after whitespace) and its {@code %}
   * expansion: so {@code %} is doubled, the value is double-quoted (single-quoted when it holds a
   * double quote), and values it cannot carry are refused.
   */
  public static String environmentLine(Map<String, String> env) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String key = e.getKey();
      String value = e.getValue();
      if (!ENV_KEY.matcher(key).matches()) {
        throw new UnsupportedValueException("env." + key + ": not a valid environment variable name");
      }
      if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
        throw new UnsupportedValueException("env." + key + ": line breaks are not supported in values");
      }
      if (value.contains("\"") && value.contains("'")) {
        throw new UnsupportedValueException("env." + key + ": a value cannot hold both ' and \"");
      }
      if (value.startsWith("'") || value.startsWith("\"") || value.endsWith("'") || value.endsWith("\"")) {
        throw new UnsupportedValueException("env." + key + ": a value cannot start or end with a quote");
      }
      if (Pattern.compile("\\s[;#]").matcher(value).find()) {
        throw new UnsupportedValueException("env." + key + ": ';' or '#' after a space is not supported in values");
      }
      char quote = value.contains("\"") ? '\'' : '"';
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(key).append('=').append(quote).append(percent(value)).append(quote);
    }
    return b.toString();
  }

  private static String commandLine(List<String> command) {
    StringBuilder b = new StringBuilder();
    for (String word : command) {
      if (!WORD.matcher(word).matches()) {
        throw new UnsupportedValueException("command word not supported by supervisor: " + word);
      }
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(percent(word));
    }
    return b.toString();
  }

  private static String percent(String s) {
    if (s.indexOf('\n') >= 0 || Pattern.compile("\\s[;#]").matcher(s).find()) {
      throw new UnsupportedValueException("value not supported by supervisor: " + s);
    }
    return s.replace("%", "%%");
  }
}
