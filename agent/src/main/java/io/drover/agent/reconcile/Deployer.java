package io.drover.agent.reconcile;

import io.drover.agent.bundle.BundleStore;
import io.drover.agent.host.AppUsers;
import io.drover.agent.host.Directories;
import io.drover.agent.nginx.Nginx;
import io.drover.agent.nginx.SiteOptions;
import io.drover.agent.nginx.SiteCertificates;
import io.drover.agent.state.RunningInstance;
import io.drover.agent.supervisor.Supervisor;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.Assignment;
import io.drover.spec.SpecRules;
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
  private final Clock clock;
  private final int keepReleases;
  private final InetSocketAddress ingressTls;
  private final SiteCertificates certificates;

  Deployer(Path appsDir, AppUsers users, BundleStore bundles, Supervisor supervisor, Nginx nginx,
      InetSocketAddress ingress, String systemPython, Clock clock, int keepReleases, InetSocketAddress ingressTls,
      SiteCertificates certificates) {
    this.keepReleases = keepReleases;
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
    this.clock = clock;
  }

  Clock clock() {
    return clock;
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
    AppFiles files = new AppFiles(appsDir, previous.app());
    stop(files, previous.startedAs(), previous.program()); // its release stays, for a rollback or the next virtualenv
    pruneReleases(files);
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
      if (program.startsWith("drover-" + app + "-") && program.substring(("drover-" + app + "-").length()).matches("\\d+(\\..+)?")) {
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
    Directories.deleteTree(files.pipCache().getParent());
  }

  /**
   * Deletes the app's release directories but the newest {@code keepReleases} (by revision; the one
   * that serves is the newest, or was just deployed beside them).
   */
  private void pruneReleases(AppFiles files) {
    List<Path> releases = new java.util.ArrayList<>(files.otherReleases(-1));
    releases.sort(java.util.Comparator.comparingLong((Path p) -> Long.parseLong(p.getFileName().toString())).reversed());
    for (Path old : releases.subList(Math.min(keepReleases, releases.size()), releases.size())) {
      Directories.deleteTree(old);
      log.debug("event=release_pruned app={} release={}", files.app(), old);
    }
  }

  /** Removes the program and the files (release dir, Gunicorn config, secrets, logs) of the instance started as {@code revision}. */
  void teardown(AppFiles files, long revision, String program) {
    stop(files, revision, program);
    Directories.deleteTree(files.release(revision));
  }

  /** Removes the program, its processes and the instance's files but its release directory. */
  private void stop(AppFiles files, long revision, String program) {
    for (String process : supervisor.droverPrograms()) {
      if (ProcessPrograms.belongsTo(process, program)) {
        supervisor.remove(process); // stopped gracefully, as Gunicorn is below
        delete(files.processLog(revision, ProcessPrograms.copyOf(process, program), "stdout"));
        delete(files.processLog(revision, ProcessPrograms.copyOf(process, program), "stderr"));
      }
    }
    supervisor.remove(program);
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

  /** What the spec asks of the app's server block, its static directories in {@code release}. */
  static SiteOptions siteOptions(AppSpec spec, Path release) {
    return new SiteOptions(release, spec.getNginx().getStaticMap(), spec.getNginx().getClientMaxBodySize(),
        SpecRules.gunicornTimeout(spec).plus(SiteOptions.PROXY_MARGIN));
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
