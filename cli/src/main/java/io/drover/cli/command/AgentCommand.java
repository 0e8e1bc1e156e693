package io.drover.cli.command;

import io.drover.agent.Agent;
import io.drover.agent.AgentConfig;
import io.drover.cli.config.Environment;
import io.drover.cli.config.EnvironmentVariable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code drover agent}: runs the agent of this host until SIGINT or SIGTERM. */
@Command(
    name = "agent",
    description = {
      "Runs this host's agent until SIGINT or SIGTERM.",
      "System mode drives the host's nginx and supervisord; with --sandbox the agent runs its own under DIR."
    })
public final class AgentCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(AgentCommand.class);
  static final String SYSTEM_INGRESS = "127.0.0.1:80";

  private final Environment environment;

  @Option(
      names = "--server",
      required = true,
      split = ",",
      paramLabel = "HOST:PORT",
      converter = ServerOptions.AddressFlag.class,
      description = "The Drover server's gRPC address; several (comma-separated or repeated) to fail over to the next when one is lost.")
  List<ServerAddress> servers;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "The enrollment token for the first start (default: $DROVER_ENROLL_TOKEN); not needed once enrolled.")
  String token;

  @Option(names = "--token-file", paramLabel = "FILE", description = "Read the enrollment token from FILE.")
  Path tokenFile;

  @Option(names = "--ca-fingerprint", paramLabel = "SHA256",
      description = "The SHA-256 fingerprint of the server's CA, trusted on the first start (the server logs it; "
          + "default: $DROVER_CA_FINGERPRINT).")
  String caFingerprint;

  @Option(names = "--name", paramLabel = "NAME", description = "This host's name (default: the host name).")
  String name;

  @Option(names = "--labels", split = ",", paramLabel = "KEY=VALUE", description = "This host's labels, e.g. role=web,zone=a.")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "The agent's own files (default: $XDG_DATA_HOME/drover/agent or ~/.local/share/drover/agent).")
  Path dataDir;

  @Option(names = "--keep-releases", paramLabel = "N", defaultValue = "2",
      description = "Release directories kept per app: the current one and those before it (default: ${DEFAULT-VALUE}).")
  int keepReleases;

  @Option(names = "--sandbox", paramLabel = "DIR", description = "Run own nginx and supervisord under DIR (needs --ingress).")
  Path sandbox;

  @Option(
      names = "--ingress",
      paramLabel = "ADDR",
      converter = HostPort.class,
      description = "host:port where nginx serves the apps (system mode default: " + SYSTEM_INGRESS + ").")
  InetSocketAddress ingress;

  @Option(
      names = "--ingress-tls",
      paramLabel = "ADDR",
      converter = HostPort.class,
      description = "host:port where nginx serves the apps over HTTPS (default: the --ingress host on port 443).")
  InetSocketAddress ingressTls;

  @Option(names = "--nginx-conf-dir", paramLabel = "DIR", defaultValue = "/etc/nginx/conf.d", description = "System mode: where server blocks go (default: ${DEFAULT-VALUE}).")
  Path nginxConfDir;

  @Option(names = "--supervisor-conf-dir", paramLabel = "DIR", defaultValue = "/etc/supervisor/conf.d", description = "System mode: where programs go (default: ${DEFAULT-VALUE}).")
  Path supervisorConfDir;

  @Option(names = "--nginx-config", paramLabel = "FILE", description = "System mode: the nginx main config, passed as -c FILE.")
  Path nginxConfig;

  @Option(names = "--supervisor-config", paramLabel = "FILE",
      description = "System mode: the supervisord config (default: /etc/supervisor/supervisord.conf); the agent "
          + "talks XML-RPC to supervisord over the unix socket its [unix_http_server] names, and warns when it has an "
          + "[inet_http_server].")
  Path supervisorConfig;

  @Option(names = "--python", paramLabel = "PATH", description = "The python3 that runs gunicorn (default: /usr/bin/python3 when present).")
  String python = AgentConfig.defaultPython();

  AgentCommand(Environment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() throws InterruptedException {
    AgentConfig config = config();
    Agent agent = Agent.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("event=agent_stopping host={}", config.name());
      agent.close();
    }, "drover-agent-shutdown"));
    agent.awaitTermination();
    return 0;
  }

  AgentConfig config() {
    String server = servers.stream().map(ServerAddress::toString).collect(Collectors.joining(","));
    String host = name != null ? name : localHostName();
    Path data = dataDir != null ? dataDir : environment.dataDir("agent");
    if (sandbox != null) {
      if (ingress == null) {
        throw CommandFailure.usage("--sandbox needs --ingress HOST:PORT, where its nginx listens");
      }
      return new AgentConfig(server, host, labels, data, sandbox, ingress, null, null, List.of(), List.of(), python, Clock.systemUTC(), null, null, keepReleases, ingressTls).withEnrollment(token(), caFingerprint());
    }
    return new AgentConfig(
        server, host, labels, data, null, ingress != null ? ingress : HostPort.parse(SYSTEM_INGRESS), nginxConfDir, supervisorConfDir,
        withConfig(binary("/usr/sbin/nginx", "nginx"), nginxConfig),
        withConfig(binary("/usr/bin/supervisorctl", "supervisorctl"), supervisorConfig),
        python, Clock.systemUTC(), null, null, keepReleases, ingressTls).withEnrollment(token(), caFingerprint());
  }

  private String caFingerprint() {
    return caFingerprint != null ? caFingerprint : environment.get(EnvironmentVariable.DROVER_CA_FINGERPRINT).orElse(null);
  }

  private String token() {
    if (token != null) {
      return token;
    }
    if (tokenFile != null) {
      try {
        return Files.readString(tokenFile).strip();
      } catch (java.io.IOException e) {
        throw new CommandFailure("cannot read --token-file " + tokenFile + ": " + e.getMessage(), e);
      }
    }
    return environment.get(EnvironmentVariable.DROVER_ENROLL_TOKEN).orElse(null);
  }

  /** The Debian path of a daemon's binary when present, else its name, found on PATH. */
  private static String binary(String debianPath, String name) {
    return Files.isExecutable(Path.of(debianPath)) ? debianPath : name;
  }

  private static List<String> withConfig(String binary, Path config) {
    List<String> full = new ArrayList<>(List.of(binary));
    if (config != null) {
      full.add("-c");
      full.add(config.toString());
    }
    return full;
  }

  private static String localHostName() {
    try {
      String etc = Files.readString(Path.of("/etc/hostname")).strip();
      if (!etc.isEmpty()) {
        return etc;
      }
    } catch (IOException e) {
      log.debug("event=no_etc_hostname error={}", e.toString());
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      throw new CommandFailure("cannot tell this host's name; pass --name", e);
    }
  }
}
