package io.drover.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.api.v1.App;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.ApplyAppRequest;
import io.drover.api.v1.ApplyAppResponse;
import io.drover.api.v1.Assignment;
import io.drover.api.v1.FieldChange;
import io.drover.api.v1.GetAppRequest;
import io.drover.api.v1.GunicornSpec;
import io.drover.api.v1.HealthSpec;
import io.drover.api.v1.ListRevisionsRequest;
import io.drover.api.v1.NginxSpec;
import io.drover.api.v1.OperatorServiceGrpc;
import io.drover.api.v1.PlacementSpec;
import io.drover.api.v1.Plan;
import io.drover.api.v1.PlanAppRequest;
import io.drover.api.v1.RollbackAppRequest;
import io.drover.api.v1.Revision;
import io.drover.testing.Await;
import io.drover.testing.TestDatabase;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * App secrets through a real server and PostgreSQL: sealed at rest, masked for operators, "unchanged"
 * on an equal re-apply, opened only in the Assignments of the host that runs the app.
 */
class SecretsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String FIRST = "first-" + HexFormat.of().toHexDigits(new Random().nextLong());
  private static final String SECOND = FIRST.replace("first-", "second-");

  @TempDir Path dir;
  private TestDatabase db;
  private final List<AutoCloseable> open = new ArrayList<>();
  private OperatorServiceGrpc.OperatorServiceBlockingStub operator;
  private Clients clients;
  private Channel channel;
  private String bundle;

  @BeforeEach
  void start() {
    db = TestDatabase.create();
    DroverServer a = startServer("a");
    clients = new Clients(a, dir.resolve("a"));
    open.add(clients);
    channel = clients.admin();
    operator = OperatorServiceGrpc.newBlockingStub(channel);
    bundle = BundleUploads.upload(channel, new byte[] {4, 5, 6}).getSha256();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    db.close();
  }

  @Test
  void secretsAreSealedAtRestMaskedForOperatorsAndOpenedOnlyForTheAssignedHost() throws Exception {
    FakeAgent web1 = agent("web-1", "web");
    FakeAgent db1 = agent("db-1", "db");
    assertEquals(new Applied(1, true), apply(spec(FIRST)));
    assertEquals(new Applied(1, false), apply(spec(FIRST)), "the same secret again changes nothing");

    Await.until(WAIT, "web-1 assigned hello@1", () -> List.of("hello@1").equals(web1.assigned()));
    Assignment assigned = web1.assignments().getAssignments(0);
    assertEquals(Map.of("API_KEY", FIRST), assigned.getSpec().getSecretsMap(), "the assigned host gets the value");
    Await.until(WAIT, "db-1 welcomed", () -> db1.assigned() != null);
    assertEquals(List.of(), db1.assigned());
    assertFalse(db1.received().toString().contains(FIRST), "a host without the app never sees its secret");

    App app = operator.getApp(GetAppRequest.newBuilder().setApp("hello").build());
    assertEquals(Map.of("API_KEY", "(secret)"), app.getSpec().getSecretsMap());
    assertEquals(Map.of("GREETING", "hi"), app.getSpec().getEnvMap());
    assertNoSecretIn(app.toString());

    Plan same = operator.planApp(PlanAppRequest.newBuilder().setSpec(spec(FIRST)).build());
    assertFalse(same.getChanged(), same.toString());
    Plan changed = operator.planApp(PlanAppRequest.newBuilder().setSpec(spec(SECOND)).build());
    assertTrue(changed.getChanged(), changed.toString());
    assertEquals(List.of(FieldChange.newBuilder().setField("secrets.API_KEY").setBefore("(secret)").setAfter("(secret)")
        .build()), changed.getChangesList());
    assertNoSecretIn(changed.toString());

    assertEquals(new Applied(2, true), apply(spec(SECOND)));
    Await.until(WAIT, "web-1 assigned hello@2 with the new value", () -> List.of("hello@2").equals(web1.assigned())
        && SECOND.equals(web1.assignments().getAssignments(0).getSpec().getSecretsMap().get("API_KEY")));
    ApplyAppResponse rolledBack = operator.rollbackApp(RollbackAppRequest.newBuilder().setApp("hello").setToRevision(1).build());
    assertEquals(3, rolledBack.getRevision());
    Await.until(WAIT, "web-1 assigned hello@3 with the first value again", () -> List.of("hello@3").equals(web1.assigned())
        && FIRST.equals(web1.assignments().getAssignments(0).getSpec().getSecretsMap().get("API_KEY")));
    assertEquals(new Applied(3, false), apply(spec(FIRST)), "a rollback keeps the sealed values it copied");

    List<Revision> history = operator.listRevisions(ListRevisionsRequest.newBuilder().setApp("hello").build())
        .getRevisionsList();
    assertEquals(List.of("secrets.API_KEY"), history.get(0).getChangesList());
    assertEquals(List.of("secrets.API_KEY"), history.get(1).getChangesList());
    assertNoSecretIn(history.toString());

    String rows = everyRow();
    assertTrue(rows.contains("API_KEY"), "the dump reads the revisions");
    assertNoSecretIn(rows);
  }

  @Test
  void aSecretAlsoInEnvIsRefusedWithoutEchoingIt() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> apply(spec(FIRST).toBuilder().putSecrets("GREETING", FIRST).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertEquals("secrets.GREETING: also set in env; a variable is either in env or in secrets", e.getStatus().getDescription());
  }

  @Test
  void aServerWithoutTheKeyOfTheDatabasesSecretsRefusesToStart() throws Exception {
    apply(spec(FIRST));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> startServer("b"));
    assertTrue(e.getMessage().contains("but " + dir.resolve("b/secrets.key") + " does not exist: copy secrets.key from the"
        + " first server"), e.getMessage());

    Files.createDirectories(dir.resolve("b"));
    Files.copy(dir.resolve("a/secrets.key"), dir.resolve("b/secrets.key"));
    DroverServerTest.copyCa(dir.resolve("a"), dir.resolve("b"));
    FakeAgent web1 = agent(clients.on(startServer("b")).agent("web-1"), "web-1", "web");
    Await.until(WAIT, "web-1 on b gets the value", () -> List.of("hello@1").equals(web1.assigned())
        && FIRST.equals(web1.assignments().getAssignments(0).getSpec().getSecretsMap().get("API_KEY")));
  }

  private record Applied(long revision, boolean changed) {}

  private Applied apply(AppSpec spec) {
    ApplyAppResponse r = operator.applyApp(ApplyAppRequest.newBuilder().setSpec(spec).build());
    return new Applied(r.getRevision(), r.getChanged());
  }

  private AppSpec spec(String apiKey) {
    return AppSpec.newBuilder()
        .setName("hello")
        .setBundleSha256(bundle)
        .setGunicorn(GunicornSpec.newBuilder().setApp("app:app"))
        .setNginx(NginxSpec.newBuilder().addDomains("hello.local"))
        .setHealth(HealthSpec.newBuilder().setPath("/healthz"))
        .putEnv("GREETING", "hi")
        .putSecrets("API_KEY", apiKey)
        .setPlacement(PlacementSpec.newBuilder().putLabels("role", "web").setCount(1))
        .build();
  }

  private static void assertNoSecretIn(String text) {
    assertFalse(text.contains(FIRST) || text.contains(SECOND), "a secret value in: " + text);
  }

  /** Every row of every table of the database, as PostgreSQL prints it. */
  private String everyRow() throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection c = DriverManager.getConnection(db.url()); Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet r = s.executeQuery(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")) {
        while (r.next()) {
          tables.add(r.getString(1));
        }
      }
      assertTrue(tables.contains("revision"), tables.toString());
      for (String table : tables) {
        try (ResultSet r = s.executeQuery("SELECT t::text FROM \""
            + table + "\" t")) {
          while (r.next()) {
            out.append(table).append(": ").append(r.getString(1)).append('\n');
          }
        }
      }
    }
    return out.toString();
  }

  private DroverServer startServer(String name) {
    DroverServer s = DroverServer.start(ServerConfig.defaults(db.url(), dir.resolve(name))
        .withGrpcListen(new InetSocketAddress("127.0.0.1", 0))
        .withHttpListen(new InetSocketAddress("127.0.0.1", 0)));
    open.add(s);
    return s;
  }

  private FakeAgent agent(String host, String role) {
    return agent(clients.agent(host), host, role);
  }

  private FakeAgent agent(Channel c, String host, String role) {
    FakeAgent agent = new FakeAgent(c, host, Map.of("role", role));
    open.add(agent);
    return agent;
  }
}
