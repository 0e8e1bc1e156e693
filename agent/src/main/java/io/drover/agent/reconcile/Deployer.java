package io.drover.agent.reconcile;

import io.drover.agent.bundle.BundleStore;
import io.drover.agent.bundle.ReleaseExtractor;
import io.drover.agent.bundle.Virtualenv;
import io.drover.agent.gunicorn.GunicornConfig;
import io.drover.agent.health.HttpProbe;
import io.drover.agent.host.AppUsers;
import io.drover.agent.host.AtomicFile;
import io.drover.agent.host.Directories;
import io.drover.agent.host.FreePort;
import io.drover.agent.host.NoSpaceLeft;
import io.drover.agent.host.Tails;
import io.drover.agent.nginx.Nginx;
import io.drover.agent.nginx.NginxSite;
import io.drover.agent.secrets.SecretsFile;
import io.drover.agent.state.RunningInstance;
import io.drover.agent.state.SpecHash;
import io.drover.agent.supervisor.Supervisor;
import io.drover.agent.supervisor.SupervisorProgram;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.Assignment;
import io.drover.api.v1.InstanceState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one app revision up beside the one that serves, without downtime: bundle, release, Gunicorn
 * under Supervisor, direct health check, nginx switch, check through nginx, then the old revision
 * goes ({@link #retire}, once the new one is reported). Any failure before the switch leaves the old
 * revision serving and removes the new one.
 */
final class Deployer {
  private static final Logger log = LoggerFactory.getLogger(Deployer.class);
  static final Duration DIRECT_HEALTH_DEADLINE = Duration.ofSeconds(60);
  static final Duration NGINX_HEALTH_DEADLINE = Duration.ofSeconds(10);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
  private static final int LOG_TAIL = 20;
  /** How often Gunicorn may exit and be restarted while the deployment waits for it to answer. */
  private static final int MAX_RESTARTS = 2;
  /** How often supervisord is asked about the program while the deployment waits for it to answer. */
  private static final Duration STATUS_EVERY = Duration.ofMillis(200);

  private final Path appsDir;
  private final AppUsers users;
  private final BundleStore bundles;
  private final Supervisor supervisor;
  private final Nginx nginx;
  private final InetSocketAddress ingress;
  private final String systemPython;
  private final Clock clock;

  Deployer(Path appsDir, AppUsers users, BundleStore bundles, Supervisor supervisor, Nginx nginx,
      InetSocketAddress ingress, String systemPython, Clock clock) {
    this.appsDir = appsDir;
    this.users = users;
    this.bundles = bundles;
    this.supervisor = supervisor;
    this.nginx = nginx;
    this.ingress = ingress;
    this.systemPython = systemPython;
    this.clock = clock;
  }

  RunningInstance deploy(Assignment assignment, RunningInstance previous, StatusReporter status) {
    String app = assignment.getApp();
    long revision = assignment.getRevision();
    AppSpec spec = assignment.getSpec();
    AppFiles files = new AppFiles(appsDir, app);
    StepTimer steps = new StepTimer(app, revision);
    if (occupiesFilesOf(previous, revision)) {
      // its files are named like the new revision's: there is no room beside it, so it goes first
      teardown(files, previous.startedAs(), previous.program());
      previous = null;
      steps.done("teardown_same_revision");
    }

    AppUsers.AppUser user;
    try {
      user = users.forApp(spec.getUser());
    } catch (AppUsers.AppUserException e) {
      throw new DeployFailedException(e.getMessage(), List.of(), false, e);
    }
    status.report(app, revision, InstanceState.INSTANCE_STATE_PENDING, false, "fetching bundle");
    Path bundle;
    try {
      bundle = bundles.fetch(spec.getBundleSha256());
    } catch (RuntimeException e) {
      String reason = NoSpaceLeft.causedBy(e)
          ? NoSpaceLeft.reason("storing the bundle in " + bundles.dir(), bundles.dir())
          : e.getMessage();
      throw new DeployFailedException(reason, List.of(), true, e);
    }
    steps.done("fetch_bundle");

    Path release = files.release(revision);
    String program = SupervisorProgram.nameOf(app, revision);
    int port;
    Staging staging = new Staging();
    try {
      staging.now("extracting the release to " + release, release);
      ReleaseExtractor.extract(bundle, release);
      steps.done("extract");
      staging.now("making the virtualenv in " + release.resolve("venv"), release);
      String python = Virtualenv.prepare(release, systemPython);
      Directories.makeReadableByAll(release);
      steps.done("virtualenv");
      staging.now("creating " + files.logs(), files.logs());
      Directories.createPrivate(files.logs());
      port = FreePort.onLoopback();
      Path secrets = null;
      if (spec.getSecretsCount() > 0) {
        secrets = files.secrets(revision);
        staging.now("writing " + secrets, secrets);
        // readable by the app's user alone (the agent's own user when it does not switch)
        SecretsFile.write(secrets, spec.getSecretsMap(), user.switchTo() ? user.account().name() : null);
      }
      GunicornConfig gunicorn = new GunicornConfig(port, GunicornConfig.workers(spec.getGunicorn().getWorkers()),
          release, secrets);
      staging.now("writing " + files.gunicornConf(revision), files.gunicornConf(revision));
      AtomicFile.write(files.gunicornConf(revision), gunicorn.render());
      Directories.makeReadableByAll(files.gunicornConf(revision));
      if (user.switchTo()) {
        AppUsers.requireReachable(user.account(), release);
      }
      staging.now("adding supervisor program " + program, null);
      supervisor.add(new SupervisorProgram(program,
          List.of(python, "-m", "gunicorn", "-c", files.gunicornConf(revision).toString(), spec.getGunicorn().getApp()),
          release, environment(user, spec), user.supervisorUser(), files.stdoutLog(revision), files.stderrLog(revision)));
      steps.done("supervisor_add");
    } catch (Virtualenv.VirtualenvException e) {
      teardown(files, revision, program);
      if (NoSpaceLeft.inOutput(e.outputTail())) {
        throw new DeployFailedException(staging.noSpace(), e.outputTail(), true, e);
      }
      throw new DeployFailedException(e.getMessage(), e.outputTail(), false, e);
    } catch (RuntimeException e) {
      teardown(files, revision, program);
      if (NoSpaceLeft.causedBy(e)) {
        throw new DeployFailedException(staging.noSpace(), List.of(), true, e);
      }
      throw new DeployFailedException(e.getMessage(), List.of(), false, e);
    }
    status.report(app, revision, InstanceState.INSTANCE_STATE_STARTING, false, "waiting for " + healthPath(spec));
    log.info("event=instance_starting app={} revision={} port={}", app, revision, port);

    String direct = awaitDirectHealth(program, port, healthPath(spec));
    if (direct != null) {
      List<String> tail = logTail(files, revision);
      teardown(files, revision, program);
      throw new DeployFailedException(direct, tail, false, null);
    }
    steps.done("direct_health");

    try {
      nginx.apply(new NginxSite(app, ingress, spec.getNginx().getDomainsList(), files.nginxAccessLog(), port));
    } catch (RuntimeException e) {
      teardown(files, revision, program);
      throw new DeployFailedException(e.getMessage(), List.of(), false, e);
    }
    steps.done("nginx_apply");
    String throughNginx = awaitNginxHealth(spec);
    if (throughNginx != null) {
      if (previous != null) {
        nginx.apply(new NginxSite(app, ingress, spec.getNginx().getDomainsList(), files.nginxAccessLog(), previous.port()));
      } else {
        nginx.remove(app);
      }
      teardown(files, revision, program);
      throw new DeployFailedException(throughNginx, List.of(), false, null);
    }
    steps.done("nginx_health");
    log.info("event=instance_running app={} revision={} port={} ms={}", app, revision, port, steps.totalMillis());
    return new RunningInstance(app, revision, program, port, release, SpecHash.of(spec));
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

  /**
   * The step of staging a release under way, for the reason of a failure: a full disk is reported as
   * what was being written where, and may be retried once there is room again.
   */
  private static final class Staging {
    private String doing = "";
    private Path where;

    void now(String doing, Path where) {
      this.doing = doing;
      this.where = where;
    }

    String noSpace() {
      return where == null ? "no space left on device while " + doing : NoSpaceLeft.reason(doing, where);
    }
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
    Directories.deleteTree(files.appReleases());
    Directories.deleteTree(files.logs());
  }

  /** Removes the program and the files (release dir, Gunicorn config, secrets, logs) of the instance started as {@code revision}. */
  void teardown(AppFiles files, long revision, String program) {
    supervisor.remove(program);
    Directories.deleteTree(files.release(revision));
    for (Path p : List.of(files.gunicornConf(revision), files.secrets(revision), files.stdoutLog(revision),
        files.stderrLog(revision))) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + p, e);
      }
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

  /** Null when the instance answers its health path with 2xx in time; else why not. */
  private String awaitDirectHealth(String program, int port, String path) {
    Instant deadline = clock.instant().plus(DIRECT_HEALTH_DEADLINE);
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
    String last = "no answer";
    Instant start = clock.instant();
    Instant nextStatus = start;
    Supervisor.ProgramStatus before = new Supervisor.ProgramStatus("STARTING", 0);
    int restarts = 0;
    while (clock.instant().isBefore(deadline)) {
      try {
        HttpProbe.Response r = HttpProbe.get(address, "127.0.0.1", path, PROBE_TIMEOUT);
        if (r.ok()) {
          return null;
        }
        last = "answered " + r.status();
      } catch (IOException e) {
        last = e.getMessage();
      }
      if (!clock.instant().isBefore(nextStatus)) {
        nextStatus = clock.instant().plus(STATUS_EVERY);
        Supervisor.ProgramStatus now = supervisor.status(program);
        if (now.state().equals("FATAL")) {
          return "gunicorn did not stay up (supervisor: FATAL)";
        }
        if (restarted(before, now) && ++restarts >= MAX_RESTARTS) {
          return "gunicorn keeps exiting: restarted " + restarts + " times without answering " + path;
        }
        before = now;
      }
      pause(start);
    }
    return "health check " + path + " on port " + port + " failed for " + DIRECT_HEALTH_DEADLINE.toSeconds() + "s: " + last;
  }

  private String awaitNginxHealth(AppSpec spec) {
    Instant start = clock.instant();
    Instant deadline = start.plus(NGINX_HEALTH_DEADLINE);
    InetSocketAddress address = HttpProbe.reachable(ingress);
    String host = spec.getNginx().getDomains(0);
    String last = "no answer";
    while (clock.instant().isBefore(deadline)) {
      try {
        HttpProbe.Response r = HttpProbe.get(address, host, healthPath(spec), PROBE_TIMEOUT);
        if (r.ok()) {
          return null;
        }
        last = "answered " + r.status();
      } catch (IOException e) {
        last = e.getMessage();
      }
      pause(start);
    }
    return "health check through nginx (" + host + healthPath(spec) + ") failed: " + last;
  }

  /** Whether the program exited between two looks: it left RUNNING, backs off, or runs with a new pid. */
  static boolean restarted(Supervisor.ProgramStatus before, Supervisor.ProgramStatus now) {
    boolean down = now.state().equals("BACKOFF") || now.state().equals("EXITED");
    boolean wasDown = before.state().equals("BACKOFF") || before.state().equals("EXITED");
    return (down && !wasDown)
        || (now.state().equals("STARTING") && before.state().equals("RUNNING"))
        || (now.pid() > 0 && before.pid() > 0 && now.pid() != before.pid());
  }

  private static List<String> logTail(AppFiles files, long revision) {
    return new ArrayList<>(Tails.ofFile(files.stderrLog(revision), LOG_TAIL));
  }

  static String healthPath(AppSpec spec) {
    String path = spec.getHealth().getPath();
    return path.isEmpty() ? "/" : path;
  }

  /**
   * How long to wait before the next probe of a wait that began at {@code start}: often at first,
   * when an answer is most likely to come soon, then less often.
   */
  static Duration probeInterval(Duration elapsed) {
    if (elapsed.compareTo(Duration.ofSeconds(3)) < 0) {
      return Duration.ofMillis(20);
    }
    if (elapsed.compareTo(Duration.ofSeconds(10)) < 0) {
      return Duration.ofMillis(100);
    }
    return Duration.ofMillis(250);
  }

  private void pause(Instant start) {
    LockSupport.parkNanos(probeInterval(Duration.between(start, clock.instant())).toNanos());
    if (Thread.currentThread().isInterrupted()) {
      throw new IllegalStateException("interrupted while waiting for a health check");
    }
  }
}
