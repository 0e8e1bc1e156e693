package io.drover.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.agent.health.HttpProbe;
import io.drover.agent.host.FreePort;
import io.drover.agent.host.HostCommand;
import io.drover.agent.sandbox.Sandbox;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.Assignment;
import io.drover.api.v1.Assignments;
import io.drover.api.v1.GunicornSpec;
import io.drover.api.v1.HealthSpec;
import io.drover.api.v1.InstanceState;
import io.drover.api.v1.NginxSpec;
import io.drover.testing.Await;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk while the agent stages a release: the agent's apps dir (releases, Gunicorn configs,
 * app logs) is a real, small tmpfs, filled to the last byte while r1 serves. Staging r2 fails with
 * a reason naming the full filesystem, r1 keeps serving with its files untouched, nothing of r2 is
 * left behind, and once there is room again the next push of the same assignment deploys r2. Needs
 * root (mount), as the agent's other sandbox tests do to run apps as another user.
 */
class FullDiskTest {
  private static final Duration DEPLOY = Duration.ofSeconds(60);
  private static final String SIZE = "8m";

  @TempDir Path tmp;
  private final FakeAgentService fake = new FakeAgentService();
  private Server server;
  private Path sandboxDir;
  private Path appsDir;
  private InetSocketAddress ingress;
  private AgentConfig config;
  private Agent agent;
  private String sha;
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
    appsDir = config.appsDir();
    byte[] bundle = AgentTest.tarGz(Path.of("../examples/hello/app"));
    sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bundle));
    fake.bundles.put(sha, bundle);
    app = new SandboxedHello(fake, ingress, sandboxDir, sha);

    Files.createDirectories(appsDir);
    HostCommand.Result mounted = HostCommand.run(
        List.of("mount", "-t", "tmpfs", "-o", "size=" + SIZE + ",mode=0755", "tmpfs", appsDir.toString()),
        Duration.ofSeconds(10));
    assertTrue(mounted.ok(), "this test mounts a small tmpfs and needs root: " + mounted.output());
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    try {
      if (agent != null) {
        agent.close();
      }
      Sandbox.stopDaemons(sandboxDir);
      server.shutdownNow().awaitTermination();
    } finally {
      // gunicorn's workers may still hold the release a moment after supervisord is gone: detach lazily
      HostCommand.Result unmounted = HostCommand.run(List.of("umount", appsDir.toString()), Duration.ofSeconds(10));
      if (!unmounted.ok()) {
        HostCommand.run(List.of("umount", "-l", appsDir.toString()), Duration.ofSeconds(10)).orThrow();
      }
    }
  }

  @Test
  void aFullDiskWhileStagingLeavesTheServingReleaseAndNothingElseAndRecoversWhenThereIsRoom() throws Exception {
    agent = Agent.start(config);
    fake.push(SandboxedHello.assignments(app.assignment(1, "Hello r1")));
    app.awaitState(1, InstanceState.INSTANCE_STATE_RUNNING);
    assertEquals("Hello r1\n", app.getThroughNginx("/"));

    String pid = app.ctl("pid", "drover-hello-1").output().strip();
    assertTrue(pid.matches("[1-9][0-9]*"), pid);

    Path filler = appsDir.resolve("filler");
    fill(filler);
    assertEquals(0, Files.getFileStore(appsDir).getUsableSpace(), "the apps dir's filesystem is full");
    Map<Path, String> before = contents(appsDir, filler);

    fake.push(SandboxedHello.assignments(app.assignment(2, "Hello r2")));
    app.awaitState(2, InstanceState.INSTANCE_STATE_FAILED);
    String reason = fake.latest("hello").getReason();
    assertTrue(reason.startsWith("no space left on device while extracting the release to "
        + appsDir.resolve("releases/hello/2") + " (0 bytes free on " + appsDir), reason);

    // r1 serves, its files are as they were, and nothing of r2 is left: no release, temp dir or config
    assertEquals("Hello r1\n", app.getThroughNginx("/"));
    assertEquals(before, contents(appsDir, filler));
    assertFalse(Files.exists(sandboxDir.resolve("supervisor/programs/drover-hello-2.conf")));
    assertFalse(app.ctl("status").output().contains("drover-hello-2"), app.ctl("status").output());
    assertEquals(pid, app.ctl("pid", "drover-hello-1").output().strip(), "r1's gunicorn restarted");

    // room again: the same assignment, pushed again (as on a reconnect), deploys r2
    Files.delete(filler);
    fake.push(SandboxedHello.assignments(app.assignment(2, "Hello r2")));
    app.awaitState(2, InstanceState.INSTANCE_STATE_RUNNING);
    assertEquals("Hello r2\n", app.getThroughNginx("/"));
    Await.until(DEPLOY, "r1 retired after r2 reported running",
        () -> !Files.exists(appsDir.resolve("releases/hello/gunicorn-1.conf.py")));
    assertTrue(Files.isDirectory(appsDir.resolve("releases/hello/1")), "the previous release is kept");
  }

  /** Writes {@code file} until the filesystem refuses another byte. */
  private static void fill(Path file) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      while (true) {
        chunk.clear();
        while (chunk.hasRemaining()) {
          out.write(chunk);
        }
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left on device")) {
        throw e;
      }
    }
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      // the last partial page: byte by byte until refused
      while (true) {
        one.clear();
        out.write(one);
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left on device")) {
        throw e;
      }
    }
  }

  /**
   * Every path under {@code root} but {@code except}, with a digest of each regular file's bytes (the
   * logs of r1, which r1 may append to, by name only).
   */
  private static Map<Path, String> contents(Path root, Path except) throws IOException {
    Map<Path, String> all = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.filter(p -> !p.equals(except)).toList()) {
        boolean log = p.startsWith(root.resolve("logs"));
        all.put(root.relativize(p), Files.isRegularFile(p) && !log ? digest(p) : "");
      }
    }
    return all;
  }

  private static String digest(Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
