package io.drover.agent.reconcile;

import io.drover.agent.bundle.BundleStore;
import io.drover.agent.host.AppUsers;
import io.drover.agent.host.Directories;
import io.drover.agent.nginx.Nginx;
import io.drover.agent.nginx.SiteCertificates;
import io.drover.agent.state.RunningInstance;
import io.drover.agent.supervisor.Supervisor;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.Assignment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings app revisions up beside the one that serves, without downtime ({@link Deployment}: its
 * steps, each with its undo), retires the old revision once the new one is reported ({@link
 * #retire}), and removes apps. Holds the host's edges the steps use.
 */
final class Deployer {
  private static final Logger log = LoggerFactory.getLogger(Deployer.class);

  private final Path appsDir;
  private final AppUsers users;
  private final BundleStore bundles;
  private final Supervisor supervisor;
  private final Nginx nginx;
  private final InetSocketAddress ingress;
  private final String systemPython;
  private final StartChecks checks;
  private final InetSocketAddress ingressTls;
  private final SiteCertificates certificates;

  Deployer(Path appsDir, AppUsers users, BundleStore bundles, Supervisor supervisor, Nginx nginx,
      InetSocketAddress ingress, String systemPython, Clock clock, InetSocketAddress ingressTls,
      SiteCertificates certificates) {
    this.ingressTls = ingressTls;
    this.certificates = certificates;
    this.appsDir = appsDir;
    this.users = users;
    this.bundles = bundles;
    this.supervisor = supervisor;
    this.nginx = nginx;
    this.ingress = ingress;
    this.systemPython = systemPython;
    this.checks = new StartChecks(supervisor, ingress, clock);
  }

  /**
   * Starts the assignment's revision beside {@code previous} (null: none runs) and switches nginx to
   * it; returns the instance that now serves.
   *
   * @throws DeployFailedException when it did not come up: the previous revision keeps serving, and
   *     nothing of the new one is left
   */
  RunningInstance deploy(Assignment assignment, RunningInstance previous, StatusReporter status) {
    return new Deployment(this, assignment, previous, status).run();
  }

  /**
   * Removes the instance that served before a deployment switched nginx away from it: its program
   * (stopped gracefully, so requests in flight finish) and its files.
   */
  void retire(RunningInstance previous) {
    long start = System.nanoTime();
    teardown(new AppFiles(appsDir, previous.app()), previous.startedAs(), previous.program());
    Directories.deleteTree(previous.releaseDir()); // the same dir, unless started by an agent with the older layout
    log.debug("event=deploy_step app={} step=retire_previous program={} ms={}", previous.app(), previous.program(),
        (System.nanoTime() - start) / 1_000_000);
  }

  /** Whether the files of {@code previous} are named as those of {@code revision} would be. */
  static boolean occupiesFilesOf(RunningInstance previous, long revision) {
    return previous != null && previous.startedAs() == revision;
  }

  /** Removes everything of an app: its site, its programs, releases and logs. */
  void removeApp(String app, RunningInstance running) {
    nginx.remove(app);
    for (String program : supervisor.droverPrograms()) {
      if (program.startsWith("drover-" + app + "-") && program.substring(("drover-" + app + "-").length()).matches("\\d+")) {
        supervisor.remove(program);
      }
    }
    if (running != null) {
      supervisor.remove(running.program());
      Directories.deleteTree(running.releaseDir());
    }
    AppFiles files = new AppFiles(appsDir, app);
    certificates.keepOnly(app, null);
    Directories.deleteTree(files.challenges());
    Directories.deleteTree(files.appReleases());
    Directories.deleteTree(files.logs());
  }

  /** Removes the program and the files (release dir, Gunicorn config, secrets, logs) of the instance started as {@code revision}. */
  void teardown(AppFiles files, long revision, String program) {
    supervisor.remove(program);
    Directories.deleteTree(files.release(revision));
    for (Path p : List.of(files.gunicornConf(revision), files.secrets(revision), files.stdoutLog(revision),
        files.stderrLog(revision))) {
      delete(p);
    }
  }

  static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file, e);
    }
  }

  /**
   * The app's environment: its spec's {@code env}, over {@code HOME}, {@code USER} and {@code
   * LOGNAME} of the account it runs as when Supervisor switches to it (Supervisor does not set them).
   */
  static Map<String, String> environment(AppUsers.AppUser user, AppSpec spec) {
    Map<String, String> env = new TreeMap<>();
    if (user.switchTo()) {
      env.put("HOME", user.account().home());
      env.put("USER", user.account().name());
      env.put("LOGNAME", user.account().name());
    }
    env.putAll(spec.getEnvMap());
    return env;
  }

  static String healthPath(AppSpec spec) {
    String path = spec.getHealth().getPath();
    return path.isEmpty() ? "/" : path;
  }

  /** Where nginx listens for TLS. */
  InetSocketAddress ingressTls() {
    return ingressTls;
  }

  SiteCertificates certificates() {
    return certificates;
  }

  Path appsDir() {
    return appsDir;
  }

  AppUsers users() {
    return users;
  }

  BundleStore bundles() {
    return bundles;
  }

  Supervisor supervisor() {
    return supervisor;
  }

  Nginx nginx() {
    return nginx;
  }

  InetSocketAddress ingress() {
    return ingress;
  }

  String systemPython() {
    return systemPython;
  }

  StartChecks checks() {
    return checks;
  }
}
