package io.drover.agent.reconcile;

import io.drover.agent.bundle.ReleaseBuild;
import io.drover.agent.bundle.ReleaseExtractor;
import io.drover.agent.bundle.Virtualenv;
import io.drover.agent.gunicorn.GunicornConfig;
import io.drover.agent.gunicorn.GunicornSettings;
import io.drover.agent.host.AppUsers;
import io.drover.agent.host.AtomicFile;
import io.drover.agent.host.Directories;
import io.drover.agent.host.FreePort;
import io.drover.agent.host.NoSpaceLeft;
import io.drover.agent.host.Tails;
import io.drover.agent.nginx.NginxSite;
import io.drover.agent.nginx.SiteCertificates;
import io.drover.agent.nginx.SiteTls;
import io.drover.agent.secrets.SecretsFile;
import io.drover.agent.state.RunningInstance;
import io.drover.agent.state.SpecHash;
import io.drover.agent.supervisor.SupervisorProgram;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.Assignment;
import io.drover.api.v1.InstanceState;
import io.drover.spec.SpecRules;
import java.nio.file.Files;
import io.drover.api.v1.ServedCertificate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt to bring an app revision up beside the one that serves, as ordered {@link Step}s:
 * the account the app runs as, the bundle, the release directory, its virtualenv, its {@code
 * build.command}, the logs directory, the secrets file, the Gunicorn config, the Supervisor program, the direct health check,
 * the nginx site (checked and reloaded), the check through nginx. A failing step reports why (a
 * {@link DeployFailedException} with the reason and, where there is one, a log tail) and the steps
 * done before it are taken back, so the old revision keeps serving and nothing of the new one stays.
 */
final class Deployment {
  private static final Logger log = LoggerFactory.getLogger(Deployment.class);
  private static final int LOG_TAIL = 20;

  private final Deployer deployer;
  private final StatusReporter status;
  private final String app;
  private final long revision;
  private final AppSpec spec;
  private final AppFiles files;
  private final Path release;
  private final String program;
  private RunningInstance previous;
  private AppUsers.AppUser user;
  private Path bundle;
  private String python;
  private int port;
  private final ServedCertificate certificate;
  private SiteCertificates.Written certificateFiles;

  Deployment(Deployer deployer, Assignment assignment, RunningInstance previous, StatusReporter status) {
    this.deployer = deployer;
    this.status = status;
    this.app = assignment.getApp();
    this.revision = assignment.getRevision();
    this.spec = assignment.getSpec();
    this.certificate = served(assignment);
    this.files = new AppFiles(deployer.appsDir(), app);
    this.release = files.release(revision);
    this.program = SupervisorProgram.nameOf(app, revision);
    this.previous = previous;
  }

  /** Runs the steps; returns the instance that now serves, or throws with everything taken back. */
  RunningInstance run() {
    StepTimer timer = new StepTimer(app, revision);
    StepRunner.run(steps(), timer);
    log.info("event=instance_running app={} revision={} port={} ms={}", app, revision, port, timer.totalMillis());
    return new RunningInstance(app, revision, program, port, release, SpecHash.of(spec));
  }

  List<Step> steps() {
    List<Step> steps = new ArrayList<>();
    if (Deployer.occupiesFilesOf(previous, revision)) {
      // its files are named like the new revision's: there is no room beside it, so it goes first
      steps.add(Step.of("teardown_same_revision", () -> {
        deployer.teardown(files, previous.startedAs(), previous.program());
        previous = null;
      }));
    }
    steps.add(Step.of("app_user", this::resolveUser));
    steps.add(Step.of("fetch_bundle", this::fetchBundle));
    steps.add(staged("extract", "extracting the release to " + release, release, this::extract, this::deleteRelease));
    steps.add(staged("virtualenv", "making the virtualenv in " + release.resolve("venv"), release, this::virtualenv,
        () -> { })); // inside the release directory, which the extract step's undo deletes
    if (spec.hasBuild()) {
      steps.add(staged("build", "running build.command in " + release, release, this::build, () -> { }));
    }
    steps.add(staged("logs", "creating " + files.logs(), files.logs(), () -> Directories.createPrivate(files.logs()),
        () -> { })); // shared by the app's revisions; each revision's own logs go with its program
    if (spec.getSecretsCount() > 0) {
      Path secrets = files.secrets(revision);
      steps.add(staged("secrets", "writing " + secrets, secrets, () -> undoing(() -> writeSecrets(secrets),
          () -> Deployer.delete(secrets)), () -> Deployer.delete(secrets)));
    }
    Path conf = files.gunicornConf(revision);
    steps.add(staged("gunicorn_config", "writing " + conf, conf, () -> undoing(this::writeGunicornConfig,
        () -> Deployer.delete(conf)), () -> Deployer.delete(conf)));
    steps.add(staged("supervisor_add", "adding supervisor program " + program, null,
        () -> undoing(this::addProgram, this::removeProgram), this::removeProgram));
    steps.add(Step.of("direct_health", this::awaitDirectHealth));
    if (spec.getProcessesCount() > 0) {
      steps.add(staged("processes", "starting the processes of " + program, null,
          () -> undoing(this::startProcesses, this::removeProcesses), this::removeProcesses));
    }
    if (spec.getNginx().getTls().getAcme()) {
      steps.add(staged("challenges", "creating " + files.challenges(), files.challenges(),
          () -> Directories.createReadable(files.challenges()), () -> { }));
    }
    if (certificate != null) {
      steps.add(staged("certificate", "writing the certificate of " + app, null, this::writeCertificate, () -> { }));
    }
    steps.add(Step.of("nginx_apply", this::applySite, this::restoreSite));
    steps.add(Step.of("nginx_health", this::awaitNginxHealth));
    // nginx serves the new files now, and a failure can no longer point it back at the old ones
    steps.add(Step.of("certificate_cleanup", () -> deployer.certificates().keepOnly(app, certificateFiles)));
    return steps;
  }

  private void resolveUser() {
    try {
      user = deployer.users().forApp(spec.getUser());
    } catch (AppUsers.AppUserException e) {
      throw new DeployFailedException(e.getMessage(), List.of(), false, e);
    }
  }

  private void fetchBundle() {
    status.report(app, revision, InstanceState.INSTANCE_STATE_PENDING, false, "fetching bundle");
    try {
      bundle = deployer.bundles().fetch(spec.getBundleSha256());
    } catch (RuntimeException e) {
      Path dir = deployer.bundles().dir();
      String reason = NoSpaceLeft.causedBy(e) ? NoSpaceLeft.reason("storing the bundle in " + dir, dir) : e.getMessage();
      throw new DeployFailedException(reason, List.of(), true, e);
    }
  }

  private void extract() {
    undoing(() -> ReleaseExtractor.extract(bundle, release), this::deleteRelease);
  }

  private void deleteRelease() {
    Directories.deleteTree(release);
  }

  private void virtualenv() {
    String interpreter = interpreter();
    if (Virtualenv.needed(release)) {
      status.report(app, revision, InstanceState.INSTANCE_STATE_PENDING, false, "installing requirements");
    }
    python = Virtualenv.prepare(release, interpreter, new Virtualenv.Options(user, deployer.users().agent(),
        files.pipCache(), files.otherReleases(revision)));
    Directories.makeReadableByAll(release);
  }

  private void build() {
    status.report(app, revision, InstanceState.INSTANCE_STATE_PENDING, false, "running build.command");
    Map<String, String> env = new TreeMap<>(Deployer.environment(user, spec));
    env.putAll(spec.getSecretsMap());
    ReleaseBuild.run(spec.getBuild().getCommand(), release, user, deployer.users().agent(), env, python);
    Directories.makeReadableByAll(release);
  }

  /** The spec's {@code python}, else the agent's {@code --python}; one this host lacks fails the instance, naming it. */
  private String interpreter() {
    String wanted = spec.getPython().isEmpty() ? deployer.systemPython() : spec.getPython();
    if (!Files.isExecutable(Path.of(wanted))) {
      String field = spec.getPython().isEmpty() ? "the agent's --python" : "python";
      throw new DeployFailedException(field + ": this host has no interpreter " + wanted
          + (spec.getPython().isEmpty() ? "" : "; install it or name another in the spec"), List.of(), false, null);
    }
    return wanted;
  }

  /** The secrets file, readable by the app's user alone (the agent's own user when it does not switch). */
  private void writeSecrets(Path secrets) {
    SecretsFile.write(secrets, spec.getSecretsMap(), user.switchTo() ? user.account().name() : null);
  }

  private void writeGunicornConfig() {
    port = FreePort.onLoopback();
    Path secrets = spec.getSecretsCount() > 0 ? files.secrets(revision) : null;
    GunicornConfig gunicorn = new GunicornConfig(port, GunicornConfig.workers(spec.getGunicorn().getWorkers()),
        release, secrets);
    AtomicFile.write(files.gunicornConf(revision), gunicorn.render() + GunicornSettings.of(spec).render());
    Directories.makeReadableByAll(files.gunicornConf(revision));
  }

  private void addProgram() {
    if (user.switchTo()) {
      AppUsers.requireReachable(user.account(), release);
    }
    deployer.supervisor().add(new SupervisorProgram(program,
        List.of(python, "-m", "gunicorn", "-c", files.gunicornConf(revision).toString(), spec.getGunicorn().getApp()),
        release, Deployer.environment(user, spec), user.supervisorUser(), files.stdoutLog(revision),
        files.stderrLog(revision), GunicornSettings.of(spec).stopWaitSeconds()));
  }

  /**
   * Adds a Supervisor program for each copy of each of the spec's processes, same release,
   * environment and user as Gunicorn, and waits until all run (Supervisor's RUNNING, after a second
   * up) within {@code health.start_timeout}; one that does not fails the deployment with its log.
   */
  private void startProcesses() {
    status.report(app, revision, InstanceState.INSTANCE_STATE_STARTING, false, "starting processes");
    Map<String, String> env = new TreeMap<>(Deployer.environment(user, spec));
    Path venvBin = release.resolve("venv/bin");
    env.putIfAbsent("PATH", (Files.isDirectory(venvBin) ? venvBin + ":" : "") + "/usr/local/bin:/usr/bin:/bin");
    env.put("DROVER_PYTHON", python);
    String secrets = spec.getSecretsCount() > 0 ? files.secrets(revision).toString() : "";
    int stopWait = GunicornSettings.of(spec).stopWaitSeconds();
    for (ProcessPrograms.Copy c : ProcessPrograms.copies(spec, program)) {
      deployer.supervisor().add(new SupervisorProgram(c.program(),
          List.of(python, "-c", ProcessPrograms.LAUNCHER, secrets, c.command()), release, env, user.supervisorUser(),
          files.processLog(revision, c.copy(), "stdout"), files.processLog(revision, c.copy(), "stderr"), stopWait));
    }
    java.time.Instant deadline = deployer.clock().instant().plus(SpecRules.startTimeout(spec));
    for (ProcessPrograms.Copy c : ProcessPrograms.copies(spec, program)) {
      while (true) {
        String state = deployer.supervisor().status(c.program()).state();
        if (state.equals("RUNNING")) {
          break;
        }
        if (state.equals("FATAL") || state.equals("EXITED") || deployer.clock().instant().isAfter(deadline)) {
          throw new DeployFailedException("process " + c.copy() + " did not stay up (supervisor: " + state + ")",
              Tails.ofFile(files.processLog(revision, c.copy(), "stderr"), LOG_TAIL), false, null);
        }
        java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofMillis(100).toNanos());
      }
    }
  }

  private void removeProcesses() {
    for (ProcessPrograms.Copy c : ProcessPrograms.copies(spec, program)) {
      deployer.supervisor().remove(c.program());
      Deployer.delete(files.processLog(revision, c.copy(), "stdout"));
      Deployer.delete(files.processLog(revision, c.copy(), "stderr"));
    }
  }

  /** Stops the program and deletes it with its logs. */
  private void removeProgram() {
    deployer.supervisor().remove(program);
    Deployer.delete(files.stdoutLog(revision));
    Deployer.delete(files.stderrLog(revision));
  }

  private void awaitDirectHealth() {
    status.report(app, revision, InstanceState.INSTANCE_STATE_STARTING, false, "waiting for " + Deployer.healthPath(spec));
    log.info("event=instance_starting app={} revision={} port={}", app, revision, port);
    String failed = deployer.checks().direct(program, port, Deployer.healthPath(spec), SpecRules.startTimeout(spec));
    if (failed != null) {
      // read before the undos delete the logs
      throw new DeployFailedException(failed, Tails.ofFile(files.stderrLog(revision), LOG_TAIL), false, null);
    }
  }

  private void applySite() {
    try {
      deployer.nginx().apply(site(port));
    } catch (RuntimeException e) {
      throw new DeployFailedException(e.getMessage(), List.of(), false, e);
    }
  }

  /** Points the app's site back at the instance that served before, or removes it when none did. */
  private void restoreSite() {
    if (previous != null) {
      deployer.nginx().apply(site(previous.port()));
    } else {
      deployer.nginx().remove(app);
    }
  }

  private NginxSite site(int to) {
    return new NginxSite(app, deployer.ingress(), spec.getNginx().getDomainsList(), files.nginxAccessLog(), to,
        Deployer.siteOptions(spec, to == port ? release : previous.releaseDir()),
        siteTls(spec, deployer.ingressTls(), certificateFiles, files.challenges()));
  }

  /**
   * How the site meets HTTPS: the certificate files when there is a certificate, the challenge
   * directory for ACME, HSTS and the trusted proxies as the spec says.
   */
  static SiteTls siteTls(AppSpec spec, java.net.InetSocketAddress listen, SiteCertificates.Written files,
      Path challenges) {
    var nginx = spec.getNginx();
    if (!nginx.hasTls() && nginx.getBehindProxyCount() == 0) {
      return SiteTls.NONE;
    }
    return new SiteTls(listen, files == null ? null : files.chain(), files == null ? null : files.key(),
        nginx.getHsts(), nginx.getBehindProxyList(), nginx.getTls().getAcme() ? challenges : null);
  }

  /** The certificate to serve: the spec's provided one, else the one the server obtained (null: none yet). */
  static ServedCertificate served(Assignment assignment) {
    var tls = assignment.getSpec().getNginx().getTls();
    if (!tls.getCertificate().isEmpty() && !tls.getKey().isEmpty()) {
      return ServedCertificate.newBuilder().setChain(tls.getCertificate()).setKey(tls.getKey()).build();
    }
    return tls.getAcme() && assignment.hasCertificate() ? assignment.getCertificate() : null;
  }

  private void writeCertificate() {
    certificateFiles = deployer.certificates().write(app, certificate.getChain(), certificate.getKey());
  }

  private void awaitNginxHealth() {
    String host = spec.getNginx().getDomains(0).replace("*.", "www.");
    String failed = certificateFiles != null
        ? deployer.checks().throughNginxTls(host, Deployer.healthPath(spec), deployer.ingressTls())
        : deployer.checks().throughNginx(spec.getNginx().getDomains(0), Deployer.healthPath(spec));
    if (failed != null) {
      throw new DeployFailedException(failed, List.of(), false, null);
    }
  }

  /**
   * A step that stages part of the release: a failure is reported as the step's own, and a full disk
   * as what was being written where ({@code where} null: no place to name), which may be retried
   * once there is room again.
   */
  private static Step staged(String name, String doing, Path where, Runnable action, Runnable undo) {
    return Step.of(name, () -> {
      try {
        action.run();
      } catch (ReleaseBuild.BuildFailedException e) {
        if (NoSpaceLeft.inOutput(e.outputTail())) {
          throw new DeployFailedException(noSpace(doing, where), e.outputTail(), true, e);
        }
        throw new DeployFailedException(e.getMessage(), e.outputTail(), false, e);
      } catch (Virtualenv.VirtualenvException e) {
        if (NoSpaceLeft.inOutput(e.outputTail())) {
          throw new DeployFailedException(noSpace(doing, where), e.outputTail(), true, e);
        }
        throw new DeployFailedException(e.getMessage(), e.outputTail(), false, e);
      } catch (DeployFailedException e) {
        throw e;
      } catch (RuntimeException e) {
        if (NoSpaceLeft.causedBy(e)) {
          throw new DeployFailedException(noSpace(doing, where), List.of(), true, e);
        }
        throw new DeployFailedException(e.getMessage(), List.of(), false, e);
      }
    }, undo);
  }

  private static String noSpace(String doing, Path where) {
    return where == null ? "no space left on device while " + doing : NoSpaceLeft.reason(doing, where);
  }

  /** Runs {@code action}; when it throws, {@code cleanup} takes back what it may have left, then it rethrows. */
  private static void undoing(Runnable action, Runnable cleanup) {
    try {
      action.run();
    } catch (RuntimeException e) {
      try {
        cleanup.run();
      } catch (RuntimeException c) {
        e.addSuppressed(c);
      }
      throw e;
    }
  }
}
