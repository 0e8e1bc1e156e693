package io.drover.agent.reconcile;

import java.nio.file.Path;

/**
 * Where an app's files live under the data dir: {@code releases/<app>/<revision>} (the extracted
 * bundle), {@code releases/<app>/gunicorn-<revision>.conf.py}, {@code releases/<app>/secrets-<revision>.json}
 * (when the app has secrets), and {@code logs/<app>/} (nginx's
 * {@code access.log}, Gunicorn's access log, per-revision Gunicorn error and Supervisor output logs).
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

  Path logs() {
    return dataDir.resolve("logs").resolve(app);
  }

  Path nginxAccessLog() {
    return logs().resolve("access.log");
  }

  Path gunicornAccessLog() {
    return logs().resolve("gunicorn-access.log");
  }

  Path gunicornErrorLog(long revision) {
    return logs().resolve("gunicorn-" + revision + "-error.log");
  }

  Path stdoutLog(long revision) {
    return logs().resolve("supervisor-" + revision + "-stdout.log");
  }

  Path stderrLog(long revision) {
    return logs().resolve("supervisor-" + revision + "-stderr.log");
  }
}
