package io.drover.agent.gunicorn;

import java.nio.file.Path;

/**
 * The {@code gunicorn.conf.py} of one instance: where it binds, how many workers, its working
 * directory, and the file of the app's secrets (null: none), which it reads when Gunicorn starts and
 * hands to the app as environment variables ({@code raw_env}), so that no value is in this file's
 * text. Gunicorn logs to stdout (access log) and stderr (error log), which Supervisor writes to the
 * instance's log files, so the app's user needs no write access to the agent's directories.
 */
public record GunicornConfig(int port, int workers, Path releaseDir, Path secretsFile) {

  /** A config for an app without secrets. */
  public GunicornConfig(int port, int workers, Path releaseDir) {
    this(port, workers, releaseDir, null);
  }

  public GunicornConfig {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1 to 65535, got " + port);
    }
  }

  /** The spec's worker count, where 0 means one per CPU core of this host. */
  public static int workers(int specWorkers) {
    return specWorkers > 0 ? specWorkers : Runtime.getRuntime().availableProcessors();
  }

  public String render() {
    return "# written by the drover agent\n"
        + "bind = \"127.0.0.1:" + port + "\"\n"
        + "workers = " + workers + "\n"
        + "chdir = " + pyString(releaseDir.toString()) + "\n"
        + "accesslog = \"-\"\n"
        + "errorlog = \"-\"\n"
        + "capture_output = False\n"
        + forwarded()
        + (secretsFile == null ? "" : secrets());
  }

  /**
   * Trust the scheme only nginx on this host forwards, and only in {@code X-Forwarded-Proto} (which
   * nginx always sets itself), so that over HTTPS the app sees https and no client can claim it.
   */
  private static String forwarded() {
    return "forwarded_allow_ips = \"127.0.0.1,::1\"\n"
        + "secure_scheme_headers = {\"X-FORWARDED-PROTO\": \"https\"}\n";
  }

  private String secrets() {
    return "# the app's secrets, read at start: their values are in no config file\n"
        + "import json as _json\n"
        + "with open(" + pyString(secretsFile.toString()) + ", encoding=\"utf-8\") as _secrets:\n"
        + "    raw_env = [_name + \"=\" + _value for _name, _value in _json.load(_secrets).items()]\n"
        + "del _json, _secrets\n";
  }

  /**
   * A Python string literal of {@code s} that is plain ASCII whatever {@code s} holds: printable
   * ASCII as is (but {@code \} and {@code "} escaped), every other code point as {@code \\uXXXX} or
   * {@code \\UXXXXXXXX}. An unpaired surrogate, which no file encoding can carry, is refused.
   */
  public static String pyString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      if (Character.getType(c) == Character.SURROGATE) {
        throw new IllegalArgumentException("unpaired surrogate at " + i + " cannot be written in gunicorn's config");
      }
      if (c == '\\' || c == '"') {
        b.append('\\').append((char) c);
      } else if (c >= 0x20 && c < 0x7f) {
        b.append((char) c);
      } else if (c <= 0xffff) {
        b.append(String.format("\\u%04x", c));
      } else {
        b.append(String.format("\\U%08x", c));
      }
      i += Character.charCount(c);
    }
    return b.append('"').toString();
  }
}
