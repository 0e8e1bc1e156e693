package io.drover.agent.reconcile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where an app's files live under the data dir: {@code releases/<app>/<revision>} (the extracted
 * bundle), {@code releases/<app>/gunicorn-<revision>.conf.py}, {@code
 * releases/<app>/secrets-<revision>.json} (when the app has secrets), and {@code logs/<app>/} (nginx's
 * {@code access.log}; per revision, Supervisor's {@code supervisor-<revision>-stdout.log} with
 * Gunicorn's access log and the app's output, and {@code supervisor-<revision>-stderr.log} with
 * Gunicorn's error log).
 */
public record AppFiles(Path dataDir, String app) {

  /** The apps that have a logs directory under {@code dataDir}. */
  public static List<String> appsWithLogs(Path dataDir) {
    Path logs = dataDir.resolve("logs");
    if (!Files.isDirectory(logs)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(logs)) {
      return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + logs, e);
    }
  }

  Path appReleases() {
    return dataDir.resolve("releases").resolve(app);
  }

  /** The app's pip cache, its own (never shared with another app). */
  Path pipCache() {
    return dataDir.resolve("cache").resolve(app).resolve("pip");
  }

  /** The release directories of the app's other revisions on the host. */
  java.util.List<Path> otherReleases(long revision) {
    try (java.util.stream.Stream<Path> all = java.nio.file.Files.list(appReleases())) {
      return all.filter(p -> p.getFileName().toString().matches("\\d+") && !p.equals(release(revision)))
          .sorted(java.util.Comparator.reverseOrder()).toList();
    } catch (java.io.IOException e) {
      return java.util.List.of();
    }
  }

  Path release(long revision) {
    return appReleases().resolve(Long.toString(revision));
  }

  Path gunicornConf(long revision) {
    return appReleases().resolve("gunicorn-" + revision + ".conf.py");
  }

  /** The app's secrets for the instance started as {@code revision}: only its user may read it. */
  Path secrets(long revision) {
    return appReleases().resolve("secrets-" + revision + ".json");
  }

  /**
   * The ACME HTTP-01 challenge files nginx answers for the app: {@code challenges/<app>/}, readable
   * by nginx's workers (the key authorizations in it are public by design).
   */
  Path challenges() {
    return dataDir.resolve("challenges").resolve(app);
  }

  Path logs() {
    return dataDir.resolve("logs").resolve(app);
  }

  /** nginx's access log of the app, which request metrics are read from. */
  public Path nginxAccessLog() {
    return logs().resolve("access.log");
  }

  Path stdoutLog(long revision) {
    return logs().resolve("supervisor-" + revision + "-stdout.log");
  }

  /** A log of one copy of a spec process, e.g. {@code process-3-worker-1-stdout.log} ({@code stream}: stdout or stderr). */
  Path processLog(long revision, String copy, String stream) {
    return logs().resolve("process-" + revision + "-" + copy + "-" + stream + ".log");
  }

  Path stderrLog(long revision) {
    return logs().resolve("supervisor-" + revision + "-stderr.log");
  }
}
