package io.drover.agent.gunicorn;

import java.nio.file.Path;

/**
 * The {@code gunicorn.conf.py} of one instance: where it binds, how many workers, where it logs, and
 * the file of the app's secrets (null: none), which it reads when Gunicorn starts and hands to the
 * app as environment variables ({@code raw_env}), so that no value is in this file's text.
 */
public record GunicornConfig(int port, int workers, Path releaseDir, Path accessLog, Path errorLog, Path secretsFile) {

  /** A config for an app without secrets. */
  public GunicornConfig(int port, int workers, Path releaseDir, Path accessLog, Path errorLog) {
    this(port, workers, releaseDir, accessLog, errorLog, null);
  }

  public GunicornConfig {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
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
        + "accesslog = " + pyString(accessLog.toString()) + "\n"
        + "errorlog = " + pyString(errorLog.toString()) + "\n"
        + "capture_output = False\n"
        + (secretsFile == null ? "" : secrets());
  }

  private String secrets() {
    return "# the app's secrets, read at start: their values are in no config file\n"
        + "import json as _json\n"
        + "with open(" + pyString(secretsFile.toString()) + ", encoding=\"utf-8\") as _secrets:\n"
        + "    raw_env = [_name + \"=\" + _value for _name, _value in _json.load(_secrets).items()]\n"
        + "del _json, _secrets\n";
  }

  static String pyString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '\n' -> b.append("\\n");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
