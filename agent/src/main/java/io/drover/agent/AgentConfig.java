package io.drover.agent;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything an agent needs to start; validated when built.
 *
 * <p>Two ways to drive the host's daemons: <b>system</b> ({@code sandboxDir == null}) writes include
 * files into {@code nginxSiteDir} and {@code supervisorProgramDir} and reloads the running daemons
 * with {@code nginxCommand} / {@code supervisorctlCommand}; <b>sandbox</b> starts and owns a
 * supervisord and an nginx under {@code sandboxDir}, nginx listening on {@code ingress}, and derives
 * the directories and commands from it.
 *
 * @param server the server's gRPC address, host:port
 * @param name this host's name
 * @param labels this host's labels
 * @param dataDir the agent's own state: releases, bundles, last assignments
 * @param sandboxDir when set, sandbox mode under this directory
 * @param ingress where nginx serves the apps (and where health checks through nginx go)
 * @param nginxSiteDir system mode: directory nginx includes server blocks from
 * @param supervisorProgramDir system mode: directory supervisord includes programs from
 * @param nginxCommand system mode: nginx command, to which -t or -s reload is appended
 * @param supervisorctlCommand system mode: supervisorctl command, to which reread/update/... is appended
 * @param python the python3 interpreter that runs gunicorn and creates virtualenvs
 * @param clock the agent's clock
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
    Clock clock) {

  public AgentConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(name, "name");
    labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(ingress, "ingress");
    nginxCommand = List.copyOf(nginxCommand);
    supervisorctlCommand = List.copyOf(supervisorctlCommand);
    Objects.requireNonNull(python, "python");
    Objects.requireNonNull(clock, "clock");
    if (sandboxDir == null) {
      Objects.requireNonNull(nginxSiteDir, "nginxSiteDir");
      Objects.requireNonNull(supervisorProgramDir, "supervisorProgramDir");
    }
  }

  public boolean sandbox() {
    return sandboxDir != null;
  }

  /** The interpreter agents use by default: Debian's /usr/bin/python3 when present. */
  public static String defaultPython() {
    return java.nio.file.Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  }
}
