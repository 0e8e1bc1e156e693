package io.drover.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.agent.host.FreePort;
import io.drover.agent.sandbox.Sandbox;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.Assignment;
import io.drover.api.v1.InstanceState;
import io.drover.api.v1.InstanceStatus;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spec's Gunicorn, health, nginx and python settings on a real sandbox: static files served by
 * nginx from the release with an expiry (never reaching Gunicorn), request bodies limited, the
 * Gunicorn settings and Supervisor's stop wait in the files the agent writes, and an interpreter the
 * host lacks failing the instance with its name.
 */
class AppSettingsTest {
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
    Path source = Files.createDirectories(tmp.resolve("app"));
    Files.copy(Path.of("../examples/hello/app/app.py"), source.resolve("app.py"));
    Files.createDirectories(source.resolve("assets/css"));
    Files.writeString(source.resolve("assets/css/site.css"), "body { color: teal }\n");
    byte[] bundle = AgentTest.tarGz(source);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bundle));
    fake.bundles.put(sha, bundle);
    app = new SandboxedHello(fake, ingress, sandboxDir, sha);
    agent = Agent.start(config);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (agent != null) {
      agent.close();
    }
    Sandbox.stopDaemons(sandboxDir);
    server.shutdownNow().awaitTermination();
  }

  private static com.google.protobuf.Duration seconds(long s) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(s).build();
  }

  private Assignment withSettings(long revision) {
    Assignment a = app.assignment(revision, "Hello r" + revision);
    AppSpec.Builder spec = a.getSpec().toBuilder();
    spec.getGunicornBuilder().setTimeout(seconds(20)).setGracefulTimeout(seconds(7)).setWorkerClass("gthread")
        .setThreads(2).setMaxRequests(100);
    spec.getNginxBuilder().putStatic("/static/", "assets/").setClientMaxBodySize("1k");
    spec.getHealthBuilder().setInterval(seconds(1)).setTimeout(seconds(1)).setFailures(2).setStartTimeout(seconds(30));
    spec.setPython("/usr/bin/python3");
    return a.toBuilder().setSpec(spec).build();
  }

  @Test
  void staticFilesComeFromNginxAndTheSettingsReachGunicornSupervisorAndNginx() throws Exception {
    fake.push(SandboxedHello.assignments(withSettings(1)));
    app.awaitState(1, InstanceState.INSTANCE_STATE_RUNNING);
    assertEquals("Hello r1\n", app.getThroughNginx("/"));

    String css = raw("GET /static/css/site.css HTTP/1.0\r\nHost: hello.local\r\n\r\n");
    assertTrue(css.startsWith("HTTP/1.1 200"), css);
    assertTrue(css.contains("\r\nCache-Control: max-age=3600\r\n"), css);
    assertTrue(css.endsWith("\r\n\r\nbody { color: teal }\n"), css);
    Path logs = config.appsDir().resolve("logs/hello");
    assertTrue(Files.readString(logs.resolve("access.log")).contains("\"GET /static/css/site.css HTTP/1.0\" 200"));
    assertFalse(Files.readString(logs.resolve("supervisor-1-stdout.log")).contains("/static/"),
        "the app never saw the static request");

    String body = "x".repeat(2048);
    String big = raw("POST / HTTP/1.0\r\nHost: hello.local\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
    assertTrue(big.startsWith("HTTP/1.1 413"), big);

    String conf = Files.readString(config.appsDir().resolve("releases/hello/gunicorn-1.conf.py"));
    for (String line : new String[] {"timeout = 20\n", "graceful_timeout = 7\n", "worker_class = \"gthread\"\n",
        "threads = 2\n", "max_requests = 100\n"}) {
      assertTrue(conf.contains(line), line + " in\n" + conf);
    }
    String program = Files.readString(sandboxDir.resolve("supervisor/programs/drover-hello-1.conf"));
    assertTrue(program.contains("\nstopwaitsecs=17\n"), program);
    String site = Files.readString(sandboxDir.resolve("nginx/sites/drover-hello.conf"));
    assertTrue(site.contains("proxy_read_timeout 25s;"), site);
  }

  @Test
  void anInterpreterTheHostLacksFailsTheInstanceNamingIt() {
    Assignment a = withSettings(1);
    a = a.toBuilder().setSpec(a.getSpec().toBuilder().setPython("/usr/bin/python3.99")).build();
    fake.push(SandboxedHello.assignments(a));
    app.awaitState(1, InstanceState.INSTANCE_STATE_FAILED);
    InstanceStatus failed = fake.latest("hello");
    assertEquals("python: this host has no interpreter /usr/bin/python3.99; install it or name another in the spec",
        failed.getReason());
    assertFalse(Files.exists(config.appsDir().resolve("releases/hello/1")), "nothing of the release is left");
  }

  @Test
  void theBuildRunsInTheReleaseWithTheAppsEnvironmentBeforeItStarts() throws Exception {
    Assignment a = withSettings(1);
    a = a.toBuilder().setSpec(a.getSpec().toBuilder().putSecrets("TOKEN", "s3")
        .setBuild(io.drover.api.v1.BuildSpec.newBuilder()
            .setCommand("echo \"$GREETING $TOKEN $(pwd)\" > assets/built.txt\n\"$DROVER_PYTHON\" -c 'print(1+1)' >> assets/built.txt"))).build();
    fake.push(SandboxedHello.assignments(a));
    app.awaitState(1, InstanceState.INSTANCE_STATE_RUNNING);
    String built = raw("GET /static/built.txt HTTP/1.0\r\nHost: hello.local\r\n\r\n");
    assertTrue(built.endsWith("\r\n\r\nHello r1 s3 " + config.appsDir().resolve("releases/hello/1").toRealPath() + "\n2\n"), built);
  }

  @Test
  void aFailingBuildFailsTheInstanceWithItsLastLines() {
    Assignment a = withSettings(1);
    a = a.toBuilder().setSpec(a.getSpec().toBuilder().setBuild(io.drover.api.v1.BuildSpec.newBuilder()
        .setCommand("echo compiling; echo 'no such module: sass' >&2; exit 3"))).build();
    fake.push(SandboxedHello.assignments(a));
    app.awaitState(1, InstanceState.INSTANCE_STATE_FAILED);
    InstanceStatus failed = fake.latest("hello");
    assertEquals("build.command failed (exit 3): echo compiling; echo 'no such module: sass' >&2; exit 3", failed.getReason());
    assertEquals(java.util.List.of("compiling", "no such module: sass"), failed.getLogTailList());
    assertFalse(Files.exists(config.appsDir().resolve("releases/hello/1")), "nothing of the release is left");
  }

  private Assignment withWorker(long revision) {
    Assignment a = app.assignment(revision, "Hello r" + revision);
    return a.toBuilder().setSpec(a.getSpec().toBuilder().putSecrets("TOKEN", "s3")
        .putProcesses("worker", io.drover.api.v1.ProcessSpec.newBuilder()
            .setCommand("echo \"worker $GREETING $TOKEN $(id -un)\"; exec sleep 1000").setPerHost(2).build())).build();
  }

  @Test
  void processesRunBesideGunicornWithTheAppsEnvironmentAndAreReplacedWithTheRelease() throws Exception {
    fake.push(SandboxedHello.assignments(withWorker(1)));
    app.awaitState(1, InstanceState.INSTANCE_STATE_RUNNING);
    InstanceStatus running = fake.latest("hello");
    assertEquals(1, running.getProcessesCount(), running.toString());
    assertEquals("worker", running.getProcesses(0).getName());
    assertEquals(2, running.getProcesses(0).getRunning());
    assertEquals(2, running.getProcesses(0).getWanted());
    Path logs = config.appsDir().resolve("logs/hello");
    String user = Files.readString(sandboxDir.resolve("supervisor/programs/drover-hello-1.conf")).lines()
        .filter(l -> l.startsWith("user=")).map(l -> l.substring(5)).findFirst().orElse(System.getProperty("user.name"));
    for (int copy = 1; copy <= 2; copy++) {
      String program = "drover-hello-1.worker-" + copy;
      assertTrue(app.ctl("status", program).output().contains("RUNNING"), app.ctl("status").output());
      Path out = logs.resolve("process-1-worker-" + copy + "-stdout.log");
      io.drover.testing.Await.until(SandboxedHello.DEPLOY, program + " wrote its line",
          () -> out.toFile().length() > 0);
      assertEquals("worker Hello r1 s3 " + user + "\n", Files.readString(out));
      assertFalse(Files.readString(sandboxDir.resolve("supervisor/programs/" + program + ".conf")).contains("s3"),
          "no secret in the program's config");
    }

    // a copy that stops is reported: 1 of 2 running, the other STOPPED
    app.ctl("stop", "drover-hello-1.worker-2");
    io.drover.testing.Await.until(SandboxedHello.DEPLOY, "the stopped worker reported", () -> {
      InstanceStatus last = fake.latest("hello");
      return last.getProcessesCount() == 1 && last.getProcesses(0).getRunning() == 1
          && last.getProcesses(0).getOtherStatesList().equals(java.util.List.of("STOPPED"));
    });
    assertTrue(fake.latest("hello").getHealthy());

    fake.push(SandboxedHello.assignments(withWorker(2)));
    app.awaitState(2, InstanceState.INSTANCE_STATE_RUNNING);
    String status = app.ctl("status").output();
    assertTrue(status.contains("drover-hello-2.worker-1") && status.contains("drover-hello-2.worker-2"), status);
    io.drover.testing.Await.until(SandboxedHello.DEPLOY, "r1's workers gone",
        () -> !app.ctl("status").output().contains("drover-hello-1."));
    assertFalse(Files.exists(sandboxDir.resolve("supervisor/programs/drover-hello-1.worker-1.conf")));
    assertFalse(Files.exists(logs.resolve("process-1-worker-1-stdout.log")));
  }

  /**
   * A request that takes 5 s is in flight through nginx while the next revision rolls out on the
   * host: nginx switches to the new instance, the old one is stopped gracefully, and the request
   * completes with 200 and the old revision's answer.
   */
  @Test
  void aRequestInFlightWhileANewRevisionRollsOutCompletes() throws Exception {
    Path source = Files.createDirectories(tmp.resolve("slow-app"));
    Files.writeString(source.resolve("app.py"), String.join("\n",
        "import os, time",
        "from flask import Flask",
        "app = Flask(__name__)",
        "@app.route('/healthz')",
        "def healthz():",
        "    return 'ok\\n'",
        "@app.route('/slow')",
        "def slow():",
        "    open(os.path.join(os.environ['MARKS'], 'started'), 'w').close()",
        "    time.sleep(5)",
        "    return os.environ['GREETING'] + ' after 5s\\n'",
        ""));
    byte[] bundle = AgentTest.tarGz(source);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bundle));
    fake.bundles.put(sha, bundle);
    SandboxedHello slowApp = new SandboxedHello(fake, ingress, sandboxDir, sha);
    Path marks = Files.createDirectories(tmp.resolve("marks"));
    Files.setPosixFilePermissions(marks, PosixFilePermissions.fromString("rwxrwxrwx"));
    java.util.function.LongFunction<Assignment> revision = r -> {
      Assignment a = slowApp.assignment(r, "r" + r);
      return a.toBuilder().setSpec(a.getSpec().toBuilder().putEnv("MARKS", marks.toString())).build();
    };
    fake.push(SandboxedHello.assignments(revision.apply(1)));
    slowApp.awaitState(1, InstanceState.INSTANCE_STATE_RUNNING);

    java.util.concurrent.CompletableFuture<String> inFlight = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return raw("GET /slow HTTP/1.0\r\nHost: hello.local\r\n\r\n");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    io.drover.testing.Await.until(SandboxedHello.DEPLOY, "the slow request reached the app",
        () -> Files.exists(marks.resolve("started")));
    fake.push(SandboxedHello.assignments(revision.apply(2)));
    slowApp.awaitState(2, InstanceState.INSTANCE_STATE_RUNNING);

    String answer = inFlight.get(60, TimeUnit.SECONDS);
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    assertTrue(answer.endsWith("\r\n\r\nr1 after 5s\n"), answer);
    io.drover.testing.Await.until(SandboxedHello.DEPLOY, "r1 stopped",
        () -> !app.ctl("status").output().contains("drover-hello-1 "));
    assertTrue(raw("GET /slow HTTP/1.0\r\nHost: hello.local\r\n\r\n").endsWith("r2 after 5s\n"));
  }

  /** Sends {@code request} to the ingress as is and returns the whole answer. */
  private String raw(String request) throws IOException {
    try (Socket socket = new Socket(ingress.getAddress(), ingress.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }
}
