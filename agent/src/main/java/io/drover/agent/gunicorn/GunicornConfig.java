package io.drover.agent.gunicorn;

import java.nio.file.Path;

/** The {@code gunicorn.conf.py} of one instance: where it binds, how many workers, where it logs. */
public record GunicornConfig(int port, int workers, Path releaseDir, Path accessLog, Path errorLog) {

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
        + "capture_output = False\n";
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
