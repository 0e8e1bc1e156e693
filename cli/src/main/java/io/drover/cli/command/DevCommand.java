package io.drover.cli.command;

import io.drover.agent.AgentConfig;
import io.drover.cli.config.CliConfig;
import io.drover.cli.config.Environment;
import io.drover.cli.config.EnvironmentVariable;
import io.drover.cli.dev.DevEnvironment;
import io.drover.cli.dev.DevFailure;
import io.drover.cli.dev.HelloExample;
import io.drover.cli.dev.Prerequisites;
import io.drover.server.ServerConfig;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code drover dev}: PostgreSQL, the server and one sandboxed agent on this machine, serving the
 * hello example, until Ctrl-C stops all of them.
 */
@Command(
    name = "dev",
    description = {
      "Runs a complete Drover on this machine until Ctrl-C: an embedded PostgreSQL, the server, and one agent"
          + " with its own nginx and supervisord; deploys examples/hello and points the CLI at the server.",
      "State lives under --data-dir, so the next 'drover dev' resumes where this one stopped."
    })
public final class DevCommand implements Callable<Integer> {
  static final String DEFAULT_INGRESS = "127.0.0.1:8080";

  private final Environment environment;

  @Spec CommandSpec command;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where all state lives (default: $XDG_DATA_HOME/drover/dev or ~/.local/share/drover/dev).")
  Path dataDir;

  @Option(
      names = "--grpc-listen",
      paramLabel = "ADDR",
      converter = HostPort.class,
      defaultValue = "127.0.0.1:" + ServerConfig.DEFAULT_GRPC_PORT,
      description = "The server's gRPC address (default: ${DEFAULT-VALUE}).")
  InetSocketAddress grpcListen;

  @Option(
      names = "--http-listen",
      paramLabel = "ADDR",
      converter = HostPort.class,
      defaultValue = "127.0.0.1:" + ServerConfig.DEFAULT_HTTP_PORT,
      description = "The server's /healthz and /metrics address (default: ${DEFAULT-VALUE}).")
  InetSocketAddress httpListen;

  @Option(
      names = "--ingress",
      paramLabel = "ADDR",
      converter = HostPort.class,
      defaultValue = DEFAULT_INGRESS,
      description = "Where the agent's nginx serves the apps (default: ${DEFAULT-VALUE}).")
  InetSocketAddress ingress;

  DevCommand(Environment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = command.commandLine().getOut();
    Path dir = (dataDir != null ? dataDir : environment.dataDir("dev")).toAbsolutePath();
    DevEnvironment env = new DevEnvironment(new DevEnvironment.Settings(dir, grpcListen, httpListen, ingress));
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      out.println("drover dev: stopping...");
      out.flush();
      env.close();
      out.println("drover dev: stopped");
      out.flush();
      stopped.countDown();
    }, "drover-dev-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);

    out.println("drover dev: starting in " + dir + " ...");
    out.flush();
    try {
      env.start(Prerequisites.onPath(environment.get(EnvironmentVariable.PATH).orElse(""), AgentConfig.defaultPython()));
    } catch (DevFailure e) {
      throw new CommandFailure("dev: " + e.getMessage(), e);
    }
    String server = env.settings().serverAddress();
    CliConfig config = CliConfig.of(environment);
    config.writeLogin(server, env.caFingerprint(), env.adminToken());
    Path spec = HelloExample.spec(dir);
    CommandLine parent = command.commandLine();
    int applied = new CommandLine(ApplyCommand.class, parent.getFactory())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setOut(out)
        .setErr(parent.getErr())
        .setExecutionExceptionHandler(parent.getExecutionExceptionHandler())
        .execute("--server", server, "--ca-fingerprint", env.caFingerprint(), "-f", spec.toString(), "--wait",
            "--timeout", "2m");
    if (applied != ExitCode.OK.code()) {
      throw new CommandFailure("dev: could not deploy " + spec + "; the output above says why");
    }
    printWelcome(out, dir, config, spec, server);
    stopped.await();
    return 0;
  }

  private void printWelcome(PrintWriter out, Path dir, CliConfig config, Path spec, String server) {
    String ingressUrl = "http://" + HostPortText.of(ingress) + "/";
    out.println();
    out.println("Drover is running: PostgreSQL, the server at " + server + " and agent '" + DevEnvironment.HOST
        + "' (state in " + dir + ").");
    out.println();
    out.println("hello is served at:");
    out.println("  curl -H 'Host: hello.local' " + ingressUrl);
    out.println();
    out.println("Apps with nginx.tls and a provided certificate are served over HTTPS at https://"
        + HostPortText.of(DevEnvironment.tlsIngress(ingress)) + "/. An app with tls: acme stays on HTTP here:");
    out.println("this server obtains no ACME certificates and no ACME CA is reachable from it (drover certs says so).");
    out.println();
    out.println("The CLI is set up: " + config.file() + " names server " + server + ", pins its CA and");
    out.println("holds an admin token, so no --server or DROVER_TOKEN is needed. Try:");
    out.println("  drover status hello");
    out.println("  drover hosts");
    out.println("  edit GREETING in " + spec + ", then:");
    out.println("  drover apply -f " + spec + " --wait");
    out.println();
    out.println("Press Ctrl-C to stop everything.");
    out.flush();
  }
}
