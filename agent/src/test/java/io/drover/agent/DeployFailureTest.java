package io.drover.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.agent.health.HttpProbe;
import io.drover.agent.host.FreePort;
import io.drover.agent.host.HostCommand;
import io.drover.agent.sandbox.Sandbox;
import io.drover.api.v1.Assignment;
import io.drover.api.v1.InstanceState;
import io.drover.api.v1.InstanceStatus;
import io.drover.testing.Await;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deployments that fail at a step after others succeeded, provoked on a real sandbox while r1
 * serves: r2 is reported failed with the step's reason, r1 keeps serving with its gunicorn untouched,
 * and nothing of r2 is left (release, Gunicorn config, Supervisor program, logs). The steps before
 * (a failed bundle download, a missing account, a gunicorn that does not come up, a full disk) are
 * covered by {@link AgentTest} and {@link FullDiskTest}.
 */
class DeployFailureTest {
  @TempDir Path tmp;
  private final FakeAgentService fake = new FakeAgentService();
  private Server server;
  private Path sandboxDir;
  private InetSocketAddress ingress;
  private AgentConfig config;
  private Agent agent;
  private SandboxedHello app;

  @BeforeEach
  void setUp() throws Exception {
    Path dataDir = tmp.resolve("data");
    TestPki pki = new TestPki(tmp.resolve("ca"));
    pki.enroll(dataDir, "web-1");
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .sslContext(pki.serverContext())
        .permitKeepAliveTime(10, TimeUnit.SECONDS)
        .addService(fake)
        .build()
        .start();
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
    sandboxDir = tmp.resolve("sandbox");
    ingress = new InetSocketAddress("127.0.0.1", FreePort.onLoopback());
    config = AgentConfig.sandbox("127.0.0.1:" + server.getPort(), "web-1", Map.of("role", "web"), dataDir,
        sandboxDir, ingress);
    app = new SandboxedHello(fake, ingress, sandboxDir, put(AgentTest.tarGz(Path.of("../examples/hello/app"))));
    agent = Agent.start(config);
    fake.push(SandboxedHello.assignments(app.assignment(1, "Hello r1")));
    app.awaitState(1, InstanceState.INSTANCE_STATE_RUNNING);
    assertEquals("Hello r1\n", app.getThroughNginx("/"));
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (agent != null) {
      agent.close();
    }
    Sandbox.stopDaemons(sandboxDir);
    server.shutdownNow().awaitTermination();
  }

  private String put(byte[] bundle) throws Exception {
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bundle));
    fake.bundles.put(sha, bundle);
    return sha;
  }

  private Path site() {
    return sandboxDir.resolve("nginx/sites/drover-hello.conf");
  }

  /** r2 failed, r1 serves with the gunicorn it had, and nothing of r2 is on the host. */
  private InstanceStatus assertR2FailedAndR1Serves(String r1Site, String r1Master) throws IOException {
    app.awaitState(2, InstanceState.INSTANCE_STATE_FAILED);
    InstanceStatus failed = fake.latest("hello");
    assertEquals(r1Site, Files.readString(site()), "the site points at r1");
    assertEquals(r1Master, app.ctl("pid", "drover-hello-1").output().strip(), "r1's gunicorn restarted");
    Path releases = config.appsDir().resolve("releases/hello");
    try (Stream<Path> left = Files.list(releases)) {
      assertEquals(List.of(releases.resolve("1"), releases.resolve("gunicorn-1.conf.py")), left.sorted().toList());
    }
    try (Stream<Path> logs = Files.list(config.appsDir().resolve("logs/hello"))) {
      assertTrue(logs.noneMatch(p -> p.getFileName().toString().startsWith("supervisor-2-")), "r2's logs are gone");
    }
    assertFalse(Files.exists(sandboxDir.resolve("supervisor/programs/drover-hello-2.conf")));
    assertFalse(app.ctl("status").output().contains("drover-hello-2"), app.ctl("status").output());
    return failed;
  }

  @Test
  void nginxRefusingTheNewSiteLeavesTheOldOneServing() throws Exception {
    String r1Site = Files.readString(site());
    String r1Master = app.ctl("pid", "drover-hello-1").output().strip();
    // an operator's file claims the ingress's default server, which nginx allows once per address
    Path operator = sandboxDir.resolve("nginx/sites/operator-default.conf");
    Files.writeString(operator,
        "server {\n  listen 127.0.0.1:" + ingress.getPort() + " default_server;\n  return 444;\n}\n");
    try {
      fake.push(SandboxedHello.assignments(app.assignment(2, "Hello r2")));

      InstanceStatus failed = assertR2FailedAndR1Serves(r1Site, r1Master);
      assertTrue(failed.getReason().startsWith("nginx -t refused the site of app hello: "), failed.getReason());
      assertTrue(failed.getReason().contains("a duplicate default server for 127.0.0.1:" + ingress.getPort()),
          failed.getReason());
      assertEquals("Hello r1\n", app.getThroughNginx("/"));
    } finally {
      Files.delete(operator); // nginx -s stop, as the sandbox is stopped, reads the config too
    }
  }

  @Test
  void aFailedCheckThroughNginxPointsTheSiteBackAtTheOldRevision() throws Exception {
    String r1Site = Files.readString(site());
    String r1Master = app.ctl("pid", "drover-hello-1").output().strip();
    // an operator's server block for the same name, included first: nginx warns and sends hello.local there
    Path shadow = sandboxDir.resolve("nginx/sites/aaa-operator.conf");
    Files.writeString(shadow, "server {\n  listen 127.0.0.1:" + ingress.getPort() + ";\n  server_name hello.local;\n"
        + "  return 503;\n}\n");

    try {
      fake.push(SandboxedHello.assignments(app.assignment(2, "Hello r2")));

      InstanceStatus failed = assertR2FailedAndR1Serves(r1Site, r1Master);
      assertEquals("health check through nginx (hello.local/healthz) failed: answered 503", failed.getReason());
    } finally {
      Files.delete(shadow);
    }
    Path nginx = sandboxDir.resolve("nginx");
    HostCommand.run(List.of("/usr/sbin/nginx", "-p", nginx.toString(), "-c", nginx.resolve("nginx.conf").toString(),
        "-s", "reload"), Duration.ofSeconds(30)).orThrow();
    Await.until(SandboxedHello.DEPLOY, "r1 served through nginx again", () -> {
      try {
        return HttpProbe.get(ingress, "hello.local", "/", Duration.ofSeconds(5)).body().equals("Hello r1\n");
      } catch (IOException e) {
        return false;
      }
    });
  }

  @Test
  void requirementsPipCannotInstallFailWithPipsOutputAndLeaveNothing() throws Exception {
    String r1Site = Files.readString(site());
    String r1Master = app.ctl("pid", "drover-hello-1").output().strip();
    Path source = Files.createDirectories(tmp.resolve("app-with-requirements"));
    Files.copy(Path.of("../examples/hello/app/app.py"), source.resolve("app.py"));
    Files.writeString(source.resolve("requirements.txt"), "this is not a requirement ===\n");
    Assignment r2 = app.assignment(2, "Hello r2");
    r2 = r2.toBuilder().setSpec(r2.getSpec().toBuilder().setBundleSha256(put(AgentTest.tarGz(source)))).build();

    fake.push(SandboxedHello.assignments(r2));

    InstanceStatus failed = assertR2FailedAndR1Serves(r1Site, r1Master);
    assertTrue(failed.getReason().startsWith("pip install -r requirements.txt failed (exit "), failed.getReason());
    assertTrue(String.join("\n", failed.getLogTailList()).toLowerCase().contains("requirement"), failed.toString());
    assertEquals("Hello r1\n", app.getThroughNginx("/"));
  }
}
