package io.drover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.testing.Await;
import io.drover.testing.TestDatabase;
import io.drover.tls.Fingerprints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security of a real fleet as an operator meets it: the server's CA and admin token, {@code
 * drover login} pinning the CA, roles, agents enrolling and renewing their certificates, a removed
 * host cut off, a second enrollment waiting for approval, and the audit log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuritySystemTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** Short, so the agents renew during the test (at two thirds: 20 s). */
  private static final String CERT_TTL = "30s";

  private Path tmp;
  private TestDatabase db;
  private Fleet fleet;

  @BeforeAll
  void startFleet(@TempDir Path tmp) {
    this.tmp = tmp;
    db = TestDatabase.create();
    fleet = new Fleet(tmp.resolve("fleet"), db.url(), "security");
    fleet.startServer("--agent-certificate-ttl", CERT_TTL);
    fleet.startAgents(List.of("web-1", "web-2"), "role=web");
  }

  @AfterAll
  void stopFleet() {
    if (fleet != null) {
      fleet.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  @Order(1)
  void theServerKeepsItsCaKeyAndAdminTokenPrivateAndLogsTheFingerprint() throws IOException {
    Path data = fleet.dir().resolve("server");
    assertEquals("rw-------", mode(data.resolve("ca.key")));
    assertEquals("rw-------", mode(data.resolve("admin.token")));
    assertTrue(Files.isRegularFile(data.resolve("ca.crt")));
    assertTrue(Files.readString(fleet.log("server")).contains("ca_fingerprint=" + Fingerprints.display(fleet.caFingerprint())),
        "the server logs the CA fingerprint");
  }

  @Test
  @Order(2)
  void loginPinsTheCaAndRefusesAnotherFingerprint() throws IOException {
    Path config = tmp.resolve("login-config");
    Map<String, String> env = Map.of("XDG_CONFIG_HOME", config.toString());
    Drover.Result wrong = Drover.run(120, env, "login", "--server", fleet.address(), "--token", fleet.adminToken(),
        "--ca-fingerprint", "ab".repeat(32));
    assertEquals(1, wrong.exit(), wrong.toString());
    assertTrue(wrong.err().contains("has the CA fingerprint " + Fingerprints.display(fleet.caFingerprint())), wrong.err());
    assertFalse(Files.exists(config.resolve("drover/config.yaml")), "nothing written");

    Drover.Result noPin = Drover.run(120, env, "login", "--server", fleet.address(), "--token", fleet.adminToken());
    assertEquals(1, noPin.exit(), noPin.toString());
    assertTrue(noPin.err().contains("pass it with --ca-fingerprint"), noPin.err());

    // on a terminal, without --ca-fingerprint: it shows the fingerprint and asks; "n" writes nothing
    for (String answer : List.of("n", "y")) {
      Drover.Result asked = onATerminal(env, answer + "\n", "login", "--server", fleet.address(), "--token",
          fleet.adminToken());
      assertTrue(asked.out().contains(Fingerprints.display(fleet.caFingerprint())), asked.out());
      assertTrue(asked.out().contains("Trust it? [y/N]"), asked.out());
      assertEquals(answer.equals("y"), Files.exists(config.resolve("drover/config.yaml")), asked.out());
    }
    Files.delete(config.resolve("drover/config.yaml"));

    // colons and case don't matter
    Drover.run(120, env, "login", "--server", fleet.address(), "--token", fleet.adminToken(),
        "--ca-fingerprint", Fingerprints.display(fleet.caFingerprint()).toLowerCase(Locale.ROOT)).requireSuccess();
    Path file = config.resolve("drover/config.yaml");
    assertEquals("rw-------", mode(file));
    assertTrue(Files.readString(file).contains(fleet.caFingerprint()), Files.readString(file));
    JsonNode hosts = Fleet.JSON.readTree(Drover.run(120, env, "hosts", "-o", "json").requireSuccess().out());
    assertEquals(2, hosts.size(), "the stored login is enough: no flags, no DROVER_TOKEN");
  }

  @Test
  @Order(3)
  void aTokensRoleLimitsWhatItMayDo() {
    String viewer = fleet.cli("token", "create", "--role", "viewer", "--name", "dashboards").requireSuccess().out().strip();
    fleet.cliAs(viewer, "apps").requireSuccess();
    Path spec = Examples.copy("hello", tmp.resolve("hello-viewer"));
    Drover.Result refused = fleet.cliAs(viewer, "apply", "-f", spec.toString());
    assertEquals(1, refused.exit(), refused.toString());
    assertTrue(refused.err().contains("role viewer may not call UploadBundle (needs deployer)")
        || refused.err().contains("role viewer may not call HasBundle (needs deployer)"), refused.err());

    Drover.Result none = fleet.cliAs(null, "apps");
    assertEquals(1, none.exit(), none.toString());
    assertTrue(none.err().contains("needs an operator token"), none.err());
    Drover.Result forged = fleet.cliAs("drv_0123456789abcdef_" + "0".repeat(64), "apps");
    assertTrue(forged.err().contains("the token is invalid, expired or revoked"), forged.err());
  }

  @Test
  @Order(4)
  void agentsRenewTheirCertificatesAndComeBackWithTheRenewedOne() throws IOException {
    Fleet.Agent web1 = fleet.agent("web-1");
    assertEquals("rwx------", mode(web1.dataDir));
    assertEquals("rw-------", mode(web1.dataDir.resolve("identity.pem")));
    long renewals = count(fleet.log("web-1"), "event=certificate_renewed");
    String before = Files.readString(web1.dataDir.resolve("identity.pem"));
    Await.until(WAIT, "web-1 to renew its certificate (again)", () -> {
      try {
        return count(fleet.log("web-1"), "event=certificate_renewed") > renewals;
      } catch (IOException e) {
        return false;
      }
    });
    assertFalse(before.equals(Files.readString(web1.dataDir.resolve("identity.pem"))), "a new key and certificate");
    assertFalse(Files.readString(web1.dataDir.resolve("identity.pem")).contains(fleet.enrollToken()));

    long enrollments = count(fleet.log("web-1"), "event=enrolled");
    web1.kill9();
    web1.start();
    fleet.awaitHostState("web-1", "up");
    assertEquals(enrollments, count(fleet.log("web-1"), "event=enrolled"), "no new enrollment on a restart");
    assertTrue(count(fleet.log("web-1"), "event=certificate_renewed") < 20, "renewals are paced, not a storm");
  }

  @Test
  @Order(5)
  void aSecondEnrollmentOfAHostWaitsForAnOperator() throws IOException {
    Fleet.Agent impostor = fleet.startAgentDetached("web-1", "role=web", "web-1-again");
    Await.until(WAIT, "the second web-1 to wait for approval",
        () -> logHas("web-1-again", "event=enrollment_pending"));
    assertEquals("up", host("web-1").path("state").asText(), "the enrolled web-1 keeps its place");

    fleet.cli("host", "approve", "web-1").requireSuccess();
    Await.until(WAIT, "the approved agent to connect",
        () -> logHas("web-1-again", "event=connected"));
    Await.until(WAIT, "the first web-1's certificate refused",
        () -> logHas("web-1", "revoked"));
    impostor.kill9();
  }

  @Test
  @Order(6)
  void aRemovedHostIsCutOffAndItsAgentRefused() throws IOException {
    Drover.Result removed = fleet.cli("host", "remove", "web-2").requireSuccess();
    assertTrue(removed.out().contains("web-2: removed"), removed.out());
    Await.until(Duration.ofSeconds(10), "web-2's stream closed",
        () -> logHas("web-2", "the certificate of host web-2 was revoked"));
    Await.until(Duration.ofSeconds(30), "web-2 refused when it calls again",
        () -> logHas("web-2", "the certificate of host web-2 is revoked"));
    assertTrue(host("web-2").isMissingNode(), "web-2 is no longer listed");
  }

  @Test
  @Order(7)
  void theAuditLogSaysWhoChangedWhat() {
    JsonNode audit = fleet.json("audit", "-o", "json");
    String adminId = fleet.adminToken().split("_")[1];
    assertTrue(contains(audit, "AccessService/RemoveHost", "host web-2", "token:" + adminId), audit.toString());
    assertTrue(contains(audit, "AccessService/ApproveHost", "host web-1", "token:" + adminId), audit.toString());
    assertTrue(contains(audit, "EnrollmentService/Enroll", "host web-1", "enroll-token:"), audit.toString());
    assertTrue(contains(audit, "AccessService/CreateToken", "operator token, role viewer", "token:" + adminId),
        audit.toString());
    assertFalse(audit.toString().contains(fleet.adminToken().split("_")[2]), "no token secret in the audit log");
  }

  /** Runs {@code drover args} under script(1), so it has a terminal, typing {@code input}. */
  private static Drover.Result onATerminal(Map<String, String> env, String input, String... args) throws IOException {
    String command = Stream.concat(Stream.of(Drover.LAUNCHER.toString()), Stream.of(args))
        .map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
    ProcessBuilder b = new ProcessBuilder("script", "-qec", command, "/dev/null").redirectErrorStream(true);
    b.environment().putAll(env);
    Process p = b.start();
    p.getOutputStream().write(input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    p.getOutputStream().flush();
    try {
      if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("drover " + String.join(" ", args) + " on a terminal did not finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return new Drover.Result(p.exitValue(), new String(p.getInputStream().readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8), "");
  }

  private boolean logHas(String process, String text) {
    try {
      return Files.readString(fleet.log(process)).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  private JsonNode host(String name) {
    for (JsonNode h : fleet.json("hosts", "-o", "json")) {
      if (h.path("name").asText().equals(name)) {
        return h;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private static boolean contains(JsonNode audit, String method, String target, String actorPrefix) {
    for (JsonNode e : audit) {
      if (e.path("method").asText().equals(method) && e.path("target").asText().equals(target)
          && e.path("actor").asText().startsWith(actorPrefix)) {
        return true;
      }
    }
    return false;
  }

  private static long count(Path log, String text) throws IOException {
    return Files.readAllLines(log).stream().filter(l -> l.contains(text)).count();
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
