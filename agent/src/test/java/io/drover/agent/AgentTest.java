package io.drover.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.agent.health.HttpProbe;
import io.drover.agent.host.AppUsers;
import io.drover.agent.host.FreePort;
import io.drover.agent.host.HostCommand;
import io.drover.agent.sandbox.Sandbox;
import io.drover.api.v1.AgentMessage;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.Assignment;
import io.drover.api.v1.Assignments;
import io.drover.api.v1.GunicornSpec;
import io.drover.api.v1.HealthSpec;
import io.drover.api.v1.Hello;
import io.drover.api.v1.InstanceState;
import io.drover.api.v1.InstanceStatus;
import io.drover.api.v1.NginxSpec;
import io.drover.api.v1.PlacementSpec;
import io.drover.testing.Await;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.ByteArrayOutputStream;
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
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against a fake server and a real sandbox: real supervisord, nginx and Gunicorn serving
 * the hello example, through a deployment, an update, a placement-only revision, an agent restart, a
 * failed update, another update and a removal.
 */
class AgentTest {
  private static final Duration DEPLOY = Duration.ofSeconds(60);

  @TempDir Path tmp;
  private final FakeAgentService fake = new FakeAgentService();
  private Server server;
  private Path dataDir;
  private Path sandboxDir;
  private InetSocketAddress ingress;
  private AgentConfig config;
  private Agent agent;
  private String sha;
  private SandboxedHello app;

  @BeforeEach
  void setUp() throws Exception {
    dataDir = tmp.resolve("data");
    TestPki pki = new TestPki(tmp.resolve("ca"));
    pki.enroll(dataDir, "web-1");
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .sslContext(pki.serverContext())
        .permitKeepAliveTime(10, TimeUnit.SECONDS)
        .addService(fake)
        .build()
        .start();
    // the app runs as an unprivileged user (the agent here runs as root), who must reach its release
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
    sandboxDir = tmp.resolve("sandbox");
    ingress = new InetSocketAddress("127.0.0.1", FreePort.onLoopback());
    config = AgentConfig.sandbox("127.0.0.1:" + server.getPort(), "web-1", Map.of("role", "web"), dataDir,
        sandboxDir, ingress);
    byte[] bundle = tarGz(Path.of("../examples/hello/app"));
    sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bundle));
    fake.bundles.put(sha, bundle);
    app = new SandboxedHello(fake, ingress, sandboxDir, sha);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (agent != null) {
      agent.close();
    }
    Sandbox.stopDaemons(sandboxDir);
    server.shutdownNow().awaitTermination();
  }

  @Test
  void deploysUpdatesAdoptsAfterRestartKeepsServingOnFailureAndRemoves() throws Exception {
    agent = Agent.start(config);
    Hello hello = Await.value(Duration.ofSeconds(20), "hello", () -> fake.hellos().isEmpty() ? null : fake.hellos().get(0));
    assertEquals("web-1", hello.getHost());
    assertEquals("web", hello.getLabelsMap().get("role"));
    assertTrue(hello.getFacts().getCpuCount() > 0);
    assertFalse(hello.getFacts().getNginxVersion().isEmpty(), "nginx version");
    assertFalse(hello.getFacts().getGunicornVersion().isEmpty(), "gunicorn version");

    // first deployment, with a greeting full of config syntax that must reach the app unchanged
    String hostile = "Hello r1 \"quoted\" 'single' ; # $HOME ${x} %(ENV_HOME)s \\ 100% `id` {}";
    fake.push(SandboxedHello.assignments(app.assignment(1, hostile)));
    app.awaitState(1, InstanceState.INSTANCE_STATE_RUNNING);
    assertTrue(fake.latest("hello").getHealthy());
    assertEquals(hostile + "\n", app.getThroughNginx("/"));
    assertTrue(Files.exists(sandboxDir.resolve("nginx/sites/drover-hello.conf")));

    // the host side: private agent data and supervisord socket, no TCP control port, gunicorn unprivileged
    assertEquals("rwx------", mode(dataDir));
    assertEquals("rwx------", mode(sandboxDir.resolve("supervisor")));
    assertEquals("rwx------", mode(sandboxDir.resolve("supervisor/supervisor.sock")));
    assertFalse(Files.readString(sandboxDir.resolve("supervisor/supervisord.conf")).contains("inet_http_server"));
    List<Long> gunicorns = pidsOf("gunicorn", config.appsDir().toString());
    assertFalse(gunicorns.isEmpty(), "gunicorn processes under " + config.appsDir());
    String nobody = AppUsersView.uidOf("nobody");
    for (long pid : gunicorns) {
      assertEquals(nobody, AppUsersView.uidOfProcess(pid), "uid of gunicorn " + pid);
    }

    // an update: served by r2, r1 gone
    fake.push(SandboxedHello.assignments(app.assignment(2, "Hello r2")));
    app.awaitState(2, InstanceState.INSTANCE_STATE_RUNNING);
    assertEquals("Hello r2\n", app.getThroughNginx("/"));
    Await.until(DEPLOY, "r1 retired after r2 reported running",
        () -> !Files.exists(sandboxDir.resolve("supervisor/programs/drover-hello-1.conf")));
    assertFalse(app.ctl("status").output().contains("drover-hello-1"), app.ctl("status").output());
    assertFalse(Files.exists(config.appsDir().resolve("releases/hello/gunicorn-1.conf.py")));
    assertTrue(Files.isDirectory(config.appsDir().resolve("releases/hello/1")), "the previous release is kept");
    assertTrue(Files.isDirectory(config.appsDir().resolve("releases/hello/2")));
    Await.until(Duration.ofSeconds(10), "metrics with the app",
        () -> fake.received.stream().filter(AgentMessage::hasMetrics).map(AgentMessage::getMetrics)
            .anyMatch(m -> m.getAppsList().stream().anyMatch(a -> a.getRevision() == 2 && a.getRssBytes() > 0)));

    // a revision that only moves the placement: adopted, gunicorn and nginx untouched
    String pid = app.ctl("pid", "drover-hello-2").output().strip();
    long sitesChanged = Files.getLastModifiedTime(sandboxDir.resolve("nginx/sites/drover-hello.conf")).toMillis();
    fake.push(SandboxedHello.assignments(app.assignment(3, "Hello r2").toBuilder()
        .setSpec(app.assignment(3, "Hello r2").getSpec().toBuilder().setPlacement(PlacementSpec.newBuilder().setAll(true)))
        .build()));
    app.awaitState(3, InstanceState.INSTANCE_STATE_RUNNING);
    assertTrue(fake.latest("hello").getHealthy());
    assertEquals(pid, app.ctl("pid", "drover-hello-2").output().strip(), "gunicorn master restarted by a placement change");
    assertEquals(sitesChanged, Files.getLastModifiedTime(sandboxDir.resolve("nginx/sites/drover-hello.conf")).toMillis());
    assertEquals("Hello r2\n", app.getThroughNginx("/"));
    assertFalse(Files.exists(config.appsDir().resolve("releases/hello/3")));

    // restart: the daemons keep serving, the new agent adopts r3 (started as r2) without restarting gunicorn
    agent.close();
    assertEquals("Hello r2\n", app.getThroughNginx("/"));
    int hellosBefore = fake.hellos().size();
    long metricsBefore = fake.count(AgentMessage.MessageCase.METRICS);
    agent = Agent.start(config);
    Hello again = Await.value(Duration.ofSeconds(20), "second hello",
        () -> fake.hellos().size() > hellosBefore ? fake.hellos().get(hellosBefore) : null);
    InstanceStatus adopted = again.getInstancesList().stream().filter(s -> s.getApp().equals("hello")).findFirst().orElseThrow();
    assertEquals(3, adopted.getRevision());
    assertEquals(InstanceState.INSTANCE_STATE_RUNNING, adopted.getState());
    Await.until(Duration.ofSeconds(10), "metrics from the new agent",
        () -> fake.count(AgentMessage.MessageCase.METRICS) > metricsBefore + 1);
    assertEquals(pid, app.ctl("pid", "drover-hello-2").output().strip(), "gunicorn master restarted");
    assertEquals(InstanceState.INSTANCE_STATE_RUNNING, fake.latest("hello").getState());

    // a broken revision fails, the instance started as r2 keeps serving
    fake.push(SandboxedHello.assignments(app.assignment(4, "Hello r4").toBuilder()
        .setSpec(app.assignment(4, "Hello r4").getSpec().toBuilder()
            .setGunicorn(GunicornSpec.newBuilder().setApp("missing_module:app").setWorkers(1)))
        .build()));
    app.awaitState(4, InstanceState.INSTANCE_STATE_FAILED);
    InstanceStatus failed = fake.latest("hello");
    assertFalse(failed.getReason().isEmpty());
    assertTrue(String.join("\n", failed.getLogTailList()).contains("missing_module"), failed.toString());
    assertEquals("Hello r2\n", app.getThroughNginx("/"));
    assertFalse(Files.exists(sandboxDir.resolve("supervisor/programs/drover-hello-4.conf")));

    // a good update replaces the adopted instance and removes the files it was started with
    fake.push(SandboxedHello.assignments(app.assignment(5, "Hello r5")));
    app.awaitState(5, InstanceState.INSTANCE_STATE_RUNNING);
    assertEquals("Hello r5\n", app.getThroughNginx("/"));
    Await.until(DEPLOY, "the instance started as r2 retired",
        () -> !Files.exists(sandboxDir.resolve("supervisor/programs/drover-hello-2.conf")));
    assertFalse(app.ctl("status").output().contains("drover-hello-2"), app.ctl("status").output());
    assertTrue(Files.isDirectory(config.appsDir().resolve("releases/hello/2")), "the previous release is kept");
    assertFalse(Files.exists(config.appsDir().resolve("releases/hello/1")), "releases before the previous one go");
    assertFalse(Files.exists(config.appsDir().resolve("releases/hello/gunicorn-2.conf.py")));
    assertFalse(Files.exists(config.appsDir().resolve("logs/hello/supervisor-2-stderr.log")));

    // removal
    fake.push(Assignments.getDefaultInstance());
    Await.until(DEPLOY, "hello removed", () -> fake.latest("hello").getState() == InstanceState.INSTANCE_STATE_REMOVED);
    assertFalse(Files.exists(sandboxDir.resolve("nginx/sites/drover-hello.conf")));
    assertFalse(Files.exists(sandboxDir.resolve("supervisor/programs/drover-hello-5.conf")));
    assertFalse(app.ctl("status").output().contains("drover-hello"), app.ctl("status").output());
    assertFalse(Files.exists(config.appsDir().resolve("releases/hello")));
    assertEquals(404, HttpProbe.get(ingress, "hello.local", "/", Duration.ofSeconds(2)).status());
  }

  @Test
  void secretsReachTheAppFromAnOwnerOnlyFileAndNoConfigHoldsThem() throws Exception {
    // the hello example answers / with its GREETING variable: here a secret
    String first = "s3cret-one \"q\" 'x' 100% \\ $HOME ;# {}";
    String second = "s3cret-two";
    agent = Agent.start(config);
    fake.push(SandboxedHello.assignments(withSecret(1, first)));
    app.awaitState(1, InstanceState.INSTANCE_STATE_RUNNING);
    assertEquals(first + "\n", app.getThroughNginx("/"));
    Path file = config.appsDir().resolve("releases/hello/secrets-1.json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(AppUsers.ofThisHost().forApp("").account().name(), Files.getOwner(file).getName(), "the app's user");
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dataDir.resolve("state/assignments.pb"))), "the agent's own copy");
    assertEquals(List.of(file, dataDir.resolve("state/assignments.pb")), filesHolding("s3cret-one"));

    // a new value is a new revision: started beside the old one, which goes with its secrets file
    fake.push(SandboxedHello.assignments(withSecret(2, second)));
    app.awaitState(2, InstanceState.INSTANCE_STATE_RUNNING);
    assertEquals(second + "\n", app.getThroughNginx("/"));
    Await.until(DEPLOY, "r1 retired with its secrets", () -> !Files.exists(file));
    assertEquals(List.of(), filesHolding("s3cret-one"));
    assertEquals(List.of(config.appsDir().resolve("releases/hello/secrets-2.json"), dataDir.resolve("state/assignments.pb")),
        filesHolding(second));
  }

  private Assignment withSecret(long revision, String greeting) {
    Assignment a = app.assignment(revision, "");
    return a.toBuilder().setSpec(a.getSpec().toBuilder().clearEnv().putSecrets("GREETING", greeting)).build();
  }

  /** The files under the data and sandbox dirs whose bytes contain {@code text}, sorted by path. */
  private List<Path> filesHolding(String text) throws IOException {
    byte[] needle = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (Stream<Path> all = Stream.of(dataDir, config.appsDir(), sandboxDir).flatMap(AgentTest::walk)) {
      return all.filter(Files::isRegularFile).filter(p -> {
        try {
          return indexOf(Files.readAllBytes(p), needle) >= 0;
        } catch (IOException e) {
          return false; // sockets, files gone meanwhile
        }
      }).sorted((a, b) -> a.startsWith(config.appsDir()) == b.startsWith(config.appsDir())
          ? a.compareTo(b) : a.startsWith(config.appsDir()) ? -1 : 1).toList();
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static Stream<Path> walk(Path dir) {
    try {
      return Files.walk(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void anAppNamingAnAccountTheHostLacksFailsWithTheReason() {
    agent = Agent.start(config);
    Assignment a = app.assignment(1, "hi");
    fake.push(SandboxedHello.assignments(a.toBuilder().setSpec(a.getSpec().toBuilder().setUser("no-such-account")).build()));
    app.awaitState(1, InstanceState.INSTANCE_STATE_FAILED);
    assertEquals("user: this host has no account no-such-account", fake.latest("hello").getReason());
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  /** Pids whose command line holds every one of {@code parts}. */
  private static List<Long> pidsOf(String... parts) throws IOException {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return procs.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
        try {
          String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), java.nio.charset.StandardCharsets.UTF_8);
          return Stream.of(parts).allMatch(cmd::contains);
        } catch (IOException e) {
          return false;
        }
      }).map(p -> Long.parseLong(p.getFileName().toString())).toList();
    }
  }

  /** Account and process ids as the system reports them. */
  private static final class AppUsersView {
    static String uidOf(String account) {
      return HostCommand.run(List.of("id", "-u", account), Duration.ofSeconds(10)).orThrow().output().strip();
    }

    /** The real uid of a process (first field of the Uid: line in /proc/PID/status). */
    static String uidOfProcess(long pid) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
          if (line.startsWith("Uid:")) {
            return line.substring(4).trim().split("\\s+")[0];
          }
        }
      } catch (IOException e) {
        throw new AssertionError("process " + pid + " is gone", e);
      }
      throw new AssertionError("no Uid in /proc/" + pid + "/status");
    }
  }

  static byte[] tarGz(Path dir) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes));
        Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        TarArchiveEntry entry = new TarArchiveEntry(file.toFile(), dir.relativize(file).toString());
        tar.putArchiveEntry(entry);
        Files.copy(file, tar);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }
}
