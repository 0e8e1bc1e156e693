package io.drover.agent;

import io.drover.agent.supervisor.SupervisordSocket;
import io.drover.spec.SpecRules;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything an agent needs to start; validated when built.
 *
 * <p>Two ways to drive the host's daemons: <b>system</b> ({@code sandboxDir == null}) writes include
 * files into {@code nginxSiteDir} and {@code supervisorProgramDir} and reloads the running daemons
 * with {@code nginxCommand} / {@code supervisorctlCommand}; <b>sandbox</b> starts and owns a
 * supervisord and an nginx under {@code sandboxDir}, nginx listening on {@code ingress}, and derives
 * the directories and commands from it.
 *
 * @param server the server's gRPC address, host:port; or several, comma-separated, to fail over
 *     between (see {@link #servers()})
 * @param name this host's name
 * @param labels this host's labels
 * @param dataDir the agent's own state: releases, bundles, last assignments
 * @param sandboxDir when set, sandbox mode under this directory
 * @param ingress where nginx serves the apps (and where health checks through nginx go)
 * @param nginxSiteDir system mode: directory nginx includes server blocks from
 * @param supervisorProgramDir system mode: directory supervisord includes programs from
 * @param nginxCommand system mode: nginx command, to which -t or -s reload is appended; sandbox
 *     mode: its first word is the nginx binary (empty: the host's default)
 * @param supervisorctlCommand system mode: supervisorctl command, to which reread/update/... is
 *     appended; sandbox mode: its first word is the supervisorctl binary (empty: the host's default)
 * @param python the python3 interpreter that runs gunicorn and creates virtualenvs
 * @param clock the agent's clock
 * @param enrollToken the enrollment token for the first start (null once enrolled)
 * @param caFingerprint the SHA-256 fingerprint of the server's CA to trust on the first start (null
 *     once enrolled: the CA is kept in the data dir)
 * @param keepReleases how many release directories of each app the host keeps: the current one and
 *     the ones before it (so a rollback to them needs neither the bundle nor the package index)
 * @param ingressTls where nginx serves the apps over HTTPS (null: the ingress host on port 443)
 */
public record AgentConfig(
    String server,
    String name,
    Map<String, String> labels,
    Path dataDir,
    Path sandboxDir,
    InetSocketAddress ingress,
    Path nginxSiteDir,
    Path supervisorProgramDir,
    List<String> nginxCommand,
    List<String> supervisorctlCommand,
    String python,
    Clock clock,
    String enrollToken,
    String caFingerprint,
    int keepReleases,
    InetSocketAddress ingressTls) {
  /** Releases kept per app when not configured: the current one and the one before. */
  public static final int DEFAULT_KEEP_RELEASES = 2;

  private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[^\\s:\\[\\]]+):[0-9]{1,5}");

  public AgentConfig {
    requireText(server, "server");
    for (String address : server.split(",", -1)) {
      if (!HOST_PORT.matcher(address.strip()).matches()) {
        throw new IllegalArgumentException("server: \"" + address.strip() + "\" is not HOST:PORT (in \"" + server + "\")");
      }
    }
    requireText(name, "name");
    String nameProblem = SpecRules.hostNameProblem(name);
    if (nameProblem != null) {
      throw new IllegalArgumentException("name: " + nameProblem);
    }
    labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
    List<String> labelProblems = SpecRules.labelsProblems("labels", labels);
    if (!labelProblems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", labelProblems));
    }
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(ingress, "ingress");
    nginxCommand = List.copyOf(nginxCommand == null ? List.of() : nginxCommand);
    supervisorctlCommand = List.copyOf(supervisorctlCommand == null ? List.of() : supervisorctlCommand);
    requireText(python, "python");
    Objects.requireNonNull(clock, "clock");
    if (keepReleases < 1) {
      throw new IllegalArgumentException("keep releases: must be at least 1 (the current release), got " + keepReleases);
    }
    if (ingress.getPort() <= 0) {
      throw new IllegalArgumentException("ingress: needs a port, got " + ingress);
    }
    if (sandboxDir == null) {
      Objects.requireNonNull(nginxSiteDir, "nginxSiteDir");
      Objects.requireNonNull(supervisorProgramDir, "supervisorProgramDir");
      if (nginxCommand.isEmpty()) {
        throw new IllegalArgumentException("nginxCommand: must not be empty in system mode");
      }
      if (supervisorctlCommand.isEmpty()) {
        throw new IllegalArgumentException("supervisorctlCommand: must not be empty in system mode");
      }
    }
  }

  /**
   * A sandbox-mode agent: it starts its own supervisord and nginx under {@code sandboxDir}, nginx
   * listening on {@code ingress}; binaries and python are the host's defaults.
   */
  public static AgentConfig sandbox(
      String server, String name, Map<String, String> labels, Path dataDir, Path sandboxDir,
      InetSocketAddress ingress) {
    Objects.requireNonNull(sandboxDir, "sandboxDir");
    return new AgentConfig(server, name, labels, dataDir, sandboxDir, ingress, null, null,
        List.of(defaultBinary("/usr/sbin/nginx", "nginx")),
        List.of(defaultBinary("/usr/bin/supervisorctl", "supervisorctl")),
        defaultPython(), Clock.systemUTC(), null, null, DEFAULT_KEEP_RELEASES, null);
  }

  /**
   * A system-mode agent for a Debian-style host: server blocks in /etc/nginx/conf.d, programs in
   * /etc/supervisor/conf.d, the daemons reloaded with {@code nginx} and {@code supervisorctl}.
   */
  public static AgentConfig system(
      String server, String name, Map<String, String> labels, Path dataDir, InetSocketAddress ingress) {
    return new AgentConfig(server, name, labels, dataDir, null, ingress,
        Path.of("/etc/nginx/conf.d"), Path.of("/etc/supervisor/conf.d"),
        List.of(defaultBinary("/usr/sbin/nginx", "nginx")),
        List.of(defaultBinary("/usr/bin/supervisorctl", "supervisorctl")),
        defaultPython(), Clock.systemUTC(), null, null, DEFAULT_KEEP_RELEASES, null);
  }

  /** This config with the credentials of a first start: an enrollment token and the CA to trust. */
  public AgentConfig withEnrollment(String token, String fingerprint) {
    return new AgentConfig(server, name, labels, dataDir, sandboxDir, ingress, nginxSiteDir, supervisorProgramDir,
        nginxCommand, supervisorctlCommand, python, clock, token, fingerprint, keepReleases, ingressTls);
  }

  /** This config keeping {@code keep} releases of each app. */
  public AgentConfig withKeepReleases(int keep) {
    return new AgentConfig(server, name, labels, dataDir, sandboxDir, ingress, nginxSiteDir, supervisorProgramDir,
        nginxCommand, supervisorctlCommand, python, clock, enrollToken, caFingerprint, keep, ingressTls);
  }

  /** This config with nginx listening for TLS on {@code address} (null: {@link #tlsIngress}'s default). */
  public AgentConfig withIngressTls(InetSocketAddress address) {
    return new AgentConfig(server, name, labels, dataDir, sandboxDir, ingress, nginxSiteDir, supervisorProgramDir,
        nginxCommand, supervisorctlCommand, python, clock, enrollToken, caFingerprint, keepReleases, address);
  }

  /** Where nginx listens for TLS: {@code ingressTls}, or by default the ingress host on port 443. */
  public InetSocketAddress tlsIngress() {
    if (ingressTls != null) {
      return ingressTls;
    }
    return ingress.getAddress() != null ? new InetSocketAddress(ingress.getAddress(), 443)
        : new InetSocketAddress(ingress.getHostString(), 443);
  }

  /** The servers' addresses, in the order the agent tries them. */
  public List<String> servers() {
    return java.util.Arrays.stream(server.split(",")).map(String::strip).toList();
  }

  /** The nginx binary: the first word of {@code nginxCommand}, or the host's default. */
  public String nginxBinary() {
    return nginxCommand.isEmpty() ? defaultBinary("/usr/sbin/nginx", "nginx") : nginxCommand.get(0);
  }

  /** The supervisorctl binary: the first word of {@code supervisorctlCommand}, or the host's default. */
  public String supervisorctlBinary() {
    return supervisorctlCommand.isEmpty()
        ? defaultBinary("/usr/bin/supervisorctl", "supervisorctl")
        : supervisorctlCommand.get(0);
  }

  /**
   * System mode: the unix socket of the host's supervisord, from the {@code [unix_http_server]}
   * section of the config that {@code supervisorctlCommand} names with {@code -c} (default {@code
   * /etc/supervisor/supervisord.conf}).
   */
  public Path supervisordSocket() {
    return SupervisordSocket.of(SupervisordSocket.configOf(supervisorctlCommand));
  }

  /** The supervisord binary: beside supervisorctl when that is a path, else from PATH. */
  public String supervisordBinary() {
    String ctl = supervisorctlBinary();
    if (ctl.endsWith("supervisorctl") && ctl.contains("/")) {
      return ctl.substring(0, ctl.length() - "supervisorctl".length()) + "supervisord";
    }
    return defaultBinary("/usr/bin/supervisord", "supervisord");
  }

  private static String defaultBinary(String path, String name) {
    return java.nio.file.Files.isExecutable(Path.of(path)) ? path : name;
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + ": must not be empty");
    }
  }

  /**
   * Where releases ({@code releases/}, readable by every user, so an app's unprivileged user can run
   * its own) and app logs ({@code logs/}, 0700) live: {@code <dataDir>-apps}, beside the data dir,
   * which holds the agent's own state and stays private (0700).
   */
  public Path appsDir() {
    Path data = dataDir.toAbsolutePath().normalize();
    return data.resolveSibling(data.getFileName() + "-apps");
  }

  public boolean sandbox() {
    return sandboxDir != null;
  }

  /** The interpreter agents use by default: Debian's /usr/bin/python3 when present. */
  public static String defaultPython() {
    return java.nio.file.Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  }
}
