package io.drover.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.testing.Await;
import io.drover.tls.Fingerprints;
import io.drover.tls.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A server and sandboxed agents running as separate {@code ./drover} processes on this machine,
 * against one real PostgreSQL database. Each agent owns a supervisord and an nginx under its
 * sandbox directory, nginx listening on its own loopback port.
 */
final class Fleet implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final String databaseUrl;
  private final Path logs;
  private final Map<String, Agent> agents = new LinkedHashMap<>();
  private final List<Path> daemonDirs = new ArrayList<>();
  private Process server;
  private final List<OtherServer> otherServers = new ArrayList<>();
  private int grpcPort;
  private int httpPort;
  private String adminToken;
  private String caFingerprint;
  private String enrollToken;

  /** One agent: its process and where its host side lives. */
  final class Agent {
    /** Names its directories and log; the host name unless two processes claim one host. */
    final String id;
    final String name;
    final String labels;
    final Path dataDir;
    /** Releases and app logs: beside the data dir, which is private to the agent. */
    final Path appsDir;
    final Path sandboxDir;
    final int ingressPort;
    private final List<String> modeArgs;
    /** The server address this agent dials; null: the fleet's server. */
    private String server;
    Process process;

    Agent(String name, String labels, int ingressPort, List<String> modeArgs) {
      this(name, name, labels, ingressPort, modeArgs);
    }

    Agent(String id, String name, String labels, int ingressPort, List<String> modeArgs) {
      this.id = id;
      this.name = name;
      this.labels = labels;
      this.dataDir = dir.resolve(id).resolve("data");
      this.appsDir = dir.resolve(id).resolve("data-apps");
      this.sandboxDir = dir.resolve(id).resolve("sandbox");
      this.ingressPort = ingressPort;
      this.modeArgs = modeArgs;
    }

    void start() {
      List<String> args = new ArrayList<>(List.of("agent", "--server", server != null ? server : address(),
          "--name", name, "--labels", labels, "--data-dir", dataDir.toString(), "--ingress", "127.0.0.1:" + ingressPort,
          "--token", enrollToken(), "--ca-fingerprint", caFingerprint));
      args.addAll(modeArgs);
      process = Drover.start(logs.resolve(id + ".log"), args.toArray(String[]::new));
    }

    /** kill -9 of the agent process alone; its supervisord, nginx and apps stay. */
    void kill9() {
      process.destroyForcibly();
      waitFor(process);
    }

    Http.Response get(String host, String path) {
      return Http.get(ingressPort, host, path);
    }
  }

  /** A fleet under {@code dir}; process logs go to target/fleet-logs/{@code name}, kept after the run. */
  Fleet(Path dir, String databaseUrl, String name) {
    this.dir = traversable(dir);
    this.databaseUrl = databaseUrl;
    this.logs = Path.of("target", "fleet-logs", name).toAbsolutePath();
    // the logs of an earlier run of the same fleet go, so each log holds this run only
    try (Stream<Path> old = Files.exists(logs) ? Files.list(logs) : Stream.empty()) {
      for (Path f : old.filter(p -> p.toString().endsWith(".log")).toList()) {
        Files.delete(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + logs, e);
    }
  }

  String address() {
    return "127.0.0.1:" + grpcPort;
  }

  int grpcPort() {
    return grpcPort;
  }

  int httpPort() {
    return httpPort;
  }

  Path dir() {
    return dir;
  }

  Process serverProcess() {
    return server;
  }

  /** Starts the server and waits until /healthz answers 200; a restart keeps the ports of the first start. */
  void startServer(String... extraArgs) {
    if (grpcPort == 0) {
      grpcPort = freePort();
      httpPort = freePort();
    }
    List<String> args = new ArrayList<>(List.of("server", "--database-url", databaseUrl,
        "--grpc-listen", "127.0.0.1:" + grpcPort, "--http-listen", "127.0.0.1:" + httpPort,
        "--data-dir", dir.resolve("server").toString()));
    args.addAll(List.of(extraArgs));
    server = Drover.start(logs.resolve("server.log"), args.toArray(String[]::new));
    Await.until(Duration.ofSeconds(60), "server /healthz to answer 200", () -> {
      if (!server.isAlive()) {
        throw new AssertionError("server exited " + server.exitValue() + "; see " + logs.resolve("server.log"));
      }
      return Http.get(httpPort, "localhost", "/healthz").status() == 200;
    });
    if (adminToken == null) {
      Path serverDir = dir.resolve("server");
      try {
        adminToken = Files.readString(serverDir.resolve("admin.token")).strip();
        caFingerprint = fingerprint(serverDir.resolve("ca.crt"));
      } catch (IOException e) {
        throw new UncheckedIOException("the server wrote no admin.token or ca.crt in " + serverDir, e);
      }
    }
  }

  /** The SHA-256 of the DER certificate in a PEM file, as the server logs it (without colons). */
  static String fingerprint(Path pem) throws IOException {
    return Fingerprints.sha256(Pem.certificate(Files.readString(pem)));
  }


  String adminToken() {
    return adminToken;
  }

  String caFingerprint() {
    return caFingerprint;
  }

  /** An enrollment token for this fleet's agents, made once with the admin token. */
  synchronized String enrollToken() {
    if (enrollToken == null) {
      enrollToken = cli("token", "create", "--enroll", "--uses", "1000", "--ttl", "24h", "--name", "fleet agents")
          .requireSuccess().out().strip();
    }
    return enrollToken;
  }

  /** A further server process on the fleet's database, with its own ports, data dir and log. */
  final class OtherServer {
    final String name;
    final int grpcPort = freePort();
    final int httpPort = freePort();
    Process process;

    OtherServer(String name) {
      this.name = name;
    }

    String address() {
      return "127.0.0.1:" + grpcPort;
    }

    /** Starts it (with the first server's CA and secrets key) and waits until its /healthz answers 200. */
    void start() {
      Path data = dir.resolve(name);
      try {
        Files.createDirectories(data);
        for (String f : List.of("ca.key", "ca.crt", "secrets.key")) {
          if (!Files.exists(data.resolve(f))) {
            Files.copy(dir.resolve("server").resolve(f), data.resolve(f));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot give " + name + " the fleet's CA and secrets key", e);
      }
      process = Drover.start(logs.resolve(name + ".log"),
          "server", "--database-url", databaseUrl,
          "--grpc-listen", address(), "--http-listen", "127.0.0.1:" + httpPort,
          "--data-dir", dir.resolve(name).toString());
      Await.until(Duration.ofSeconds(60), name + " /healthz to answer 200", () -> {
        if (!process.isAlive()) {
          throw new AssertionError(name + " exited " + process.exitValue() + "; see " + logs.resolve(name + ".log"));
        }
        return Http.get(httpPort, "localhost", "/healthz").status() == 200;
      });
    }

    void kill9() {
      process.destroyForcibly();
      waitFor(process);
    }
  }

  /** Starts another server on the same database; its log is {@code name}.log. Closed with the fleet. */
  OtherServer startOtherServer(String name) {
    OtherServer other = new OtherServer(name);
    otherServers.add(other);
    other.start();
    return other;
  }

  /** Runs an operator command against the server at {@code address}, as the fleet's admin. */
  Drover.Result cliAt(String address, String... args) {
    return run(address, adminToken, args);
  }

  /** kill -9 of the server process; agents and their apps stay. */
  void killServer9() {
    server.destroyForcibly();
    waitFor(server);
  }

  /** The log of one of this fleet's processes: "server" or an agent's name. */
  Path log(String process) {
    return logs.resolve(process + ".log");
  }

  /**
   * Starts a sandboxed agent for host {@code name} under its own directories and log {@code id},
   * without waiting for it (e.g. a second agent claiming an enrolled host's name).
   */
  Agent startAgentDetached(String name, String labels, String id) {
    Path sandbox = dir.resolve(id).resolve("sandbox");
    daemonDirs.add(sandbox);
    Agent a = new Agent(id, name, labels, freePort(), List.of("--sandbox", sandbox.toString()));
    agents.put(id, a);
    a.start();
    return a;
  }

  /** Starts an agent and waits until the server lists its host as up. */
  Agent startAgent(String name, String labels) {
    Path sandbox = dir.resolve(name).resolve("sandbox");
    daemonDirs.add(sandbox);
    return startAgent(name, labels, freePort(), List.of("--sandbox", sandbox.toString()));
  }

  /** Starts a sandboxed agent whose nginx serves HTTPS on 127.0.0.1:{@code tlsPort}, and waits until it is up. */
  Agent startAgentWithTls(String name, String labels, int tlsPort) {
    Path sandbox = dir.resolve(name).resolve("sandbox");
    daemonDirs.add(sandbox);
    return startAgent(name, labels, freePort(), List.of("--sandbox", sandbox.toString(), "--ingress-tls",
        "127.0.0.1:" + tlsPort));
  }

  /** Starts sandboxed agents side by side and waits until the server lists each host as up. */
  List<Agent> startAgents(List<String> names, String labels) {
    List<Agent> started = new ArrayList<>();
    for (String name : names) {
      Path sandbox = dir.resolve(name).resolve("sandbox");
      daemonDirs.add(sandbox);
      Agent a = new Agent(name, labels, freePort(), List.of("--sandbox", sandbox.toString()));
      agents.put(name, a);
      a.start();
      started.add(a);
    }
    for (Agent a : started) {
      awaitHostState(a.name, "up");
    }
    return started;
  }

  /**
   * Starts a sandboxed agent that dials {@code server} (e.g. a proxy in front of the fleet's server,
   * or a list of addresses) and waits until the server lists its host as up.
   */
  Agent startAgentDialing(String name, String labels, String server) {
    Path sandbox = dir.resolve(name).resolve("sandbox");
    daemonDirs.add(sandbox);
    Agent a = new Agent(name, labels, freePort(), List.of("--sandbox", sandbox.toString()));
    a.server = server;
    agents.put(name, a);
    a.start();
    awaitHostState(name, "up");
    return a;
  }

  /** Starts an agent with its own mode arguments (e.g. system mode against daemons a test started). */
  Agent startAgent(String name, String labels, int ingressPort, List<String> modeArgs) {
    Agent a = new Agent(name, labels, ingressPort, modeArgs);
    agents.put(name, a);
    a.start();
    awaitHostState(name, "up");
    return a;
  }

  Agent agent(String name) {
    return agents.get(name);
  }

  void awaitHostState(String name, String state) {
    Await.until(Duration.ofSeconds(60), "host " + name + " to be " + state, () -> {
      for (JsonNode h : json("hosts", "-o", "json")) {
        if (h.path("name").asText().equals(name)) {
          return h.path("state").asText().equals(state);
        }
      }
      return false;
    });
  }

  /** Runs an operator command against this fleet's server, as its admin. */
  Drover.Result cli(String... args) {
    return cliAs(adminToken, args);
  }

  /** Runs an operator command against this fleet's server with {@code token} (null: none). */
  Drover.Result cliAs(String token, String... args) {
    return run(address(), token, args);
  }

  private Drover.Result run(String address, String token, String... args) {
    String[] withServer = Stream.concat(Stream.of(args),
        Stream.of("--server", address, "--ca-fingerprint", caFingerprint)).toArray(String[]::new);
    Map<String, String> env = new java.util.HashMap<>();
    env.put("XDG_CONFIG_HOME", dir.resolve("cli-config").toString());
    if (token != null) {
      env.put("DROVER_TOKEN", token);
    }
    return Drover.run(300, env, withServer);
  }

  /** Runs an operator command that must succeed and parses its JSON output. */
  JsonNode json(String... args) {
    Drover.Result r = cli(args).requireSuccess();
    try {
      return JSON.readTree(r.out());
    } catch (IOException e) {
      throw new AssertionError("not JSON from drover " + String.join(" ", args) + ": " + r.out(), e);
    }
  }

  /** Also stop daemons under this directory when the fleet closes (for hosts started by a test itself). */
  void ownDaemonsUnder(Path d) {
    daemonDirs.add(d);
  }

  @Override
  public void close() {
    for (Agent a : agents.values()) {
      if (a.process != null) {
        a.process.destroy();
        waitFor(a.process);
      }
    }
    if (server != null) {
      server.destroy();
      waitFor(server);
    }
    for (OtherServer other : otherServers) {
      if (other.process != null) {
        other.process.destroy();
        waitFor(other.process);
      }
    }
    for (Path d : daemonDirs) {
      stopDaemons(d);
    }
  }

  /** Sends SIGTERM to every process named by a *.pid file under {@code dir} and waits for it to exit. */
  static void stopDaemons(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path pidFile : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
        String text = Files.readString(pidFile).trim();
        if (text.isEmpty()) {
          continue;
        }
        ProcessHandle.of(Long.parseLong(text)).ifPresent(p -> {
          p.destroy();
          try {
            p.onExit().get(20, TimeUnit.SECONDS);
          } catch (Exception e) {
            p.destroyForcibly();
          }
        });
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Creates {@code dir} and lets every user enter it and the directories above it (search only: names
   * cannot be listed): the agents run as root here and their apps as an unprivileged user, who must
   * reach the releases under it (JUnit's temp dirs are 0700).
   */
  static Path traversable(Path dir) {
    try {
      Files.createDirectories(dir);
      for (Path d = dir.toAbsolutePath(); d != null; d = d.getParent()) {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(d);
        if (perms.add(PosixFilePermission.OTHERS_EXECUTE)) {
          Files.setPosixFilePermissions(d, perms);
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make " + dir + " traversable", e);
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void waitFor(Process p) {
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
