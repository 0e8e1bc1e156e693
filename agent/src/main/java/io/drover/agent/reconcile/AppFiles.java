package io.drover.agent.reconcile;

import java.nio.file.Path;

/**
 * Where an app's files live under the data dir: {@code releases/<app>/<revision>} (the extracted
 * bundle), {@code releases/<app>/gunicorn-<revision>.conf.py}, {@code
 * releases/<app>/secrets-<revision>.json} (when the app has secrets), and {@code logs/<app>/} (nginx's
 * {@code access.log}; per revision, Supervisor's {@code supervisor-<revision>-stdout.log} with
 * Gunicorn's access log and the app's output, and {@code supervisor-<revision>-stderr.log} with
 * Gunicorn's error log).
 */
record AppFiles(Path dataDir, String app) {

  Path appReleases() {
    return dataDir.resolve("releases").resolve(app);
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

  Path nginxAccessLog() {
    return logs().resolve("access.log");
  }

  Path stdoutLog(long revision) {
    return logs().resolve("supervisor-" + revision + "-stdout.log");
  }

  Path stderrLog(long revision) {
    return logs().resolve("supervisor-" + revision + "-stderr.log");
  }
}
