package io.drover.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.drover.api.v1.AccessServiceGrpc;
import io.drover.api.v1.AccessServiceGrpc.AccessServiceBlockingStub;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.ApplyAppRequest;
import io.drover.api.v1.ApproveHostRequest;
import io.drover.api.v1.AuditEntry;
import io.drover.api.v1.CreateTokenRequest;
import io.drover.api.v1.EnrollRequest;
import io.drover.api.v1.EnrollResponse;
import io.drover.api.v1.EnrollmentServiceGrpc;
import io.drover.api.v1.GunicornSpec;
import io.drover.api.v1.HealthSpec;
import io.drover.api.v1.NginxSpec;
import io.drover.api.v1.ListAppsRequest;
import io.drover.api.v1.ListAuditRequest;
import io.drover.api.v1.OperatorServiceGrpc;
import io.drover.api.v1.PlacementSpec;
import io.drover.api.v1.RemoveHostRequest;
import io.drover.api.v1.RenewCertificateRequest;
import io.drover.api.v1.RevokeTokenRequest;
import io.drover.api.v1.WhoAmIRequest;
import io.drover.server.security.EnrollmentEndpoint;
import io.drover.testing.Await;
import io.drover.testing.MutableClock;
import io.drover.testing.TestDatabase;
import io.drover.tls.Keys;
import io.drover.tls.Pem;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Enrollment tokens, approvals, revocation of hosts and tokens, and the audit log, against a real server. */
class EnrollmentAndRevocationTest {
  private static final Duration REVOCATION = Duration.ofSeconds(5);

  @TempDir Path dir;
  private TestDatabase db;
  private DroverServer server;
  private Clients clients;
  private MutableClock clock;
  private AccessServiceBlockingStub admin;

  @BeforeEach
  void start() {
    db = TestDatabase.create();
    clock = new MutableClock(Instant.now());
    server = DroverServer.start(ServerConfig.defaults(db.url(), dir.resolve("server"))
        .withGrpcListen(new InetSocketAddress("127.0.0.1", 0))
        .withHttpListen(new InetSocketAddress("127.0.0.1", 0))
        .withClock(clock));
    clients = new Clients(server, dir.resolve("server"));
    admin = AccessServiceGrpc.newBlockingStub(clients.admin());
  }

  @AfterEach
  void stop() {
    clients.close();
    server.close();
    db.close();
  }

  @Test
  void theServerKeepsItsCaKeyAndAdminTokenPrivate() throws Exception {
    Path data = dir.resolve("server");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("ca.key"))));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("admin.token"))));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
    assertEquals("admin", admin.whoAmI(WhoAmIRequest.getDefaultInstance()).getRole());
  }

  @Test
  void enrollmentTokensAreSpentOnceExpireAndCannotBeGuessed() throws Exception {
    String once = clients.enrollToken();
    assertFalse(enroll(once, "web-1", Keys.newKeyPair()).getCertificatePem().isEmpty());
    assertEquals(Status.Code.UNAUTHENTICATED, refusal(() -> enroll(once, "web-2", Keys.newKeyPair())));

    String expiring = admin.createToken(CreateTokenRequest.newBuilder().setEnroll(true).setTtlSeconds(3600).build())
        .getSecret();
    clock.advance(Duration.ofHours(2));
    assertEquals(Status.Code.UNAUTHENTICATED, refusal(() -> enroll(expiring, "web-3", Keys.newKeyPair())));

    byte[] guess = new byte[40];
    new SecureRandom().nextBytes(guess);
    String guessed = "drv_" + HexFormat.of().formatHex(guess, 0, 8) + "_" + HexFormat.of().formatHex(guess, 8, 40);
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> enroll(guessed, "web-4", Keys.newKeyPair()));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    assertEquals("the enrollment token is invalid, expired, used up or revoked", e.getStatus().getDescription());
  }

  @Test
  void twoConcurrentUsesOfAOneUseTokenEnrollExactlyOneHost() throws Exception {
    for (int round = 0; round < 5; round++) {
      String token = clients.enrollToken();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Callable<Boolean>> attempts = List.of(
            attempt(token, "race-" + round + "-a"), attempt(token, "race-" + round + "-b"));
        int enrolled = 0;
        for (Future<Boolean> f : pool.invokeAll(attempts)) {
          enrolled += f.get() ? 1 : 0;
        }
        assertEquals(1, enrolled, "round " + round);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private Callable<Boolean> attempt(String token, String host) {
    KeyPair key = Keys.newKeyPair();
    return () -> {
      try {
        return !enroll(token, host, key).getCertificatePem().isEmpty();
      } catch (StatusRuntimeException e) {
        return false;
      }
    };
  }

  @Test
  void aSecondEnrollmentOfAHostWaitsForApprovalThenReplacesTheFirst() throws Exception {
    Channel first = clients.agent("web-1");
    FakeAgent running = new FakeAgent(first, "web-1", Map.of());
    Await.until(REVOCATION, "web-1 welcomed", () -> running.assigned() != null);

    KeyPair key = Keys.newKeyPair();
    EnrollResponse pending = enroll(clients.enrollToken(), "web-1", key);
    assertTrue(pending.getPendingApproval());
    assertEquals("host web-1 is enrolled already; an operator must run: drover host approve web-1", pending.getMessage());
    assertTrue(pending.getCertificatePem().isEmpty());

    assertEquals("web-1", admin.approveHost(ApproveHostRequest.newBuilder().setHost("web-1").build()).getHost());
    EnrollResponse issued = enroll("drv_0000000000000000_" + "0".repeat(64), "web-1", key);
    assertFalse(issued.getPendingApproval());
    Await.until(REVOCATION, "the first agent's stream closed", () -> running.ended() != null);
    assertEquals(Status.Code.UNAUTHENTICATED, running.ended().getCode());

    Channel second = clients.channel(key.getPrivate(), Pem.certificate(issued.getCertificatePem()));
    FakeAgent replacement = new FakeAgent(second, "web-1", Map.of());
    Await.until(REVOCATION, "the approved agent welcomed", () -> replacement.assigned() != null);
    replacement.close();
    StatusRuntimeException none = assertThrows(StatusRuntimeException.class,
        () -> admin.approveHost(ApproveHostRequest.newBuilder().setHost("web-1").build()));
    assertEquals(Status.Code.NOT_FOUND, none.getStatus().getCode());
  }

  @Test
  void aRemovedHostIsCutOffWithinSecondsAndCannotComeBack() {
    Channel agent = clients.agent("web-1");
    FakeAgent connected = new FakeAgent(agent, "web-1", Map.of());
    Await.until(REVOCATION, "web-1 welcomed", () -> connected.assigned() != null);

    assertEquals(1, admin.removeHost(RemoveHostRequest.newBuilder().setHost("web-1").build()).getCertificatesRevoked());
    Await.until(REVOCATION, "the removed host's stream closed", () -> connected.ended() != null);
    assertEquals(Status.Code.UNAUTHENTICATED, connected.ended().getCode());

    FakeAgent again = new FakeAgent(agent, "web-1", Map.of());
    Await.until(REVOCATION, "a new stream refused", () -> again.ended() != null);
    assertEquals(Status.Code.UNAUTHENTICATED, again.ended().getCode());
    assertEquals("the certificate of host web-1 is revoked; enroll the agent again", again.ended().getDescription());
  }

  @Test
  void anAgentRenewsForItsOwnHostOnlyAndNotOnceRemoved() {
    Channel agent = clients.agent("web-1");
    X509Certificate old = clients.certificate("web-1");
    KeyPair key = Keys.newKeyPair();
    EnrollResponse renewed = EnrollmentServiceGrpc.newBlockingStub(agent).renewCertificate(
        RenewCertificateRequest.newBuilder().setCsr(ByteString.copyFrom(Clients.csr(key))).build());
    X509Certificate cert = Pem.certificate(renewed.getCertificatePem());
    assertEquals(old.getSubjectX500Principal(), cert.getSubjectX500Principal(), "the same host");
    assertFalse(old.getSerialNumber().equals(cert.getSerialNumber()));
    FakeAgent onRenewed = new FakeAgent(clients.channel(key.getPrivate(), cert), "web-1", Map.of());
    Await.until(REVOCATION, "the renewed certificate welcomed", () -> onRenewed.assigned() != null);
    onRenewed.close();

    admin.removeHost(RemoveHostRequest.newBuilder().setHost("web-1").build());
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> EnrollmentServiceGrpc
        .newBlockingStub(clients.channel(key.getPrivate(), cert)).renewCertificate(RenewCertificateRequest.newBuilder()
            .setCsr(ByteString.copyFrom(Clients.csr(Keys.newKeyPair()))).build()));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
  }

  @Test
  void aRevokedTokenIsRefusedOnTheNextCall() {
    var created = admin.createToken(CreateTokenRequest.newBuilder().setRole("viewer").setName("ci").build());
    var viewer = OperatorServiceGrpc.newBlockingStub(clients.withToken(created.getSecret()));
    viewer.listApps(ListAppsRequest.getDefaultInstance());

    admin.revokeToken(RevokeTokenRequest.newBuilder().setId(created.getToken().getId()).build());
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> viewer.listApps(ListAppsRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    assertEquals("the token is invalid, expired or revoked", e.getStatus().getDescription());
  }

  @Test
  void failedEnrollmentsFromOneAddressAreRateLimited() {
    for (int i = 0; i < EnrollmentEndpoint.FAILURES_PER_MINUTE; i++) {
      assertEquals(Status.Code.UNAUTHENTICATED,
          refusal(() -> enroll("drv_0123456789abcdef_" + "f".repeat(64), "web-1", Keys.newKeyPair())));
    }
    String good = clients.enrollToken();
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, refusal(() -> enroll(good, "web-1", Keys.newKeyPair())));
    clock.advance(Duration.ofMinutes(1));
    assertFalse(enroll(good, "web-1", Keys.newKeyPair()).getCertificatePem().isEmpty());
  }

  @Test
  void mutatingCallsAreAuditedAndTheLogIsAppendOnly() throws SQLException {
    var deployerToken = admin.createToken(CreateTokenRequest.newBuilder().setRole("deployer").setName("ci").build());
    Channel deployer = clients.withToken(deployerToken.getSecret());
    String bundle = BundleUploads.upload(deployer, new byte[] {7}).getSha256();
    OperatorServiceGrpc.newBlockingStub(deployer).applyApp(ApplyAppRequest.newBuilder().setSpec(AppSpec.newBuilder()
        .setName("hello").setBundleSha256(bundle).setGunicorn(GunicornSpec.newBuilder().setApp("app:app"))
        .setNginx(NginxSpec.newBuilder().addDomains("hello.local")).setHealth(HealthSpec.newBuilder().setPath("/"))
        .setPlacement(PlacementSpec.newBuilder().setAll(true))).build());
    StatusRuntimeException denied = assertThrows(StatusRuntimeException.class, () -> AccessServiceGrpc
        .newBlockingStub(deployer).removeHost(RemoveHostRequest.newBuilder().setHost("web-9").build()));
    assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());

    List<AuditEntry> log = admin.listAudit(ListAuditRequest.getDefaultInstance()).getEntriesList();
    AuditEntry apply = log.stream().filter(e -> e.getMethod().equals("OperatorService/ApplyApp")).findFirst().orElseThrow();
    assertEquals("token:" + deployerToken.getToken().getId() + " (ci, deployer)", apply.getActor());
    assertEquals("app hello", apply.getTarget());
    assertEquals("OK", apply.getOutcome());
    assertEquals(1, apply.getRevision());
    assertTrue(apply.getPeer().contains("127.0.0.1"), apply.getPeer());
    assertTrue(log.stream().anyMatch(e -> e.getMethod().equals("OperatorService/UploadBundle")
        && e.getTarget().equals("bundle " + bundle)));
    assertTrue(log.stream().anyMatch(e -> e.getMethod().equals("AccessService/RemoveHost")
        && e.getOutcome().equals("PERMISSION_DENIED") && e.getActor().equals(apply.getActor())), log.toString());
    assertTrue(log.stream().anyMatch(e -> e.getMethod().equals("AccessService/CreateToken")
        && e.getActor().startsWith("token:") && e.getTarget().equals("operator token, role deployer")));
    assertTrue(log.stream().noneMatch(e -> e.toString().contains(deployerToken.getSecret().substring(21))),
        "no token secret in the audit log");

    try (var connection = DriverManager.getConnection(db.url())) {
      for (String sql : List.of("UPDATE audit_log SET actor = 'nobody'", "DELETE FROM audit_log",
          "TRUNCATE audit_log")) {
        SQLException e = assertThrows(SQLException.class, () -> connection.createStatement().execute(sql));
        assertTrue(e.getMessage().contains("audit_log is append-only"), e.getMessage());
      }
    }
  }

  private EnrollResponse enroll(String token, String host, KeyPair key) {
    return EnrollmentServiceGrpc.newBlockingStub(clients.anonymous()).enroll(EnrollRequest.newBuilder()
        .setToken(token).setHost(host).setCsr(ByteString.copyFrom(Clients.csr(key))).build());
  }

  private static Status.Code refusal(Runnable call) {
    return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
  }
}
