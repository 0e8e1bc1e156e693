package io.drover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app secret end to end, with real processes: the hello example answers / with its GREETING
 * variable, given here as a secret. It reaches the app on the host it is assigned to, and nowhere
 * else: not the database, not the logs, not the other host, not the supervisor or gunicorn config,
 * not what the CLI prints.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsSystemTest {
  private static final String MARK = HexFormat.of().toHexDigits(new Random().nextLong());
  private static final String FIRST = "first-" + MARK;
  private static final String SECOND = "second-" + MARK;

  private TestDatabase db;
  private Fleet fleet;
  private Path spec;

  @BeforeAll
  void startFleet(@TempDir Path tmp) {
    db = TestDatabase.create();
    fleet = new Fleet(tmp.resolve("fleet"), db.url(), "secrets");
    fleet.startServer();
    fleet.startAgent("web-1", "role=web");
    fleet.startAgent("worker-1", "role=worker");
    spec = Examples.copy("hello", tmp.resolve("hello"));
    Examples.edit(spec, "env: {GREETING: \"Hello from drover\"}", "secrets: {GREETING: \"" + FIRST + "\"}");
    Examples.edit(spec, "count: 2}", "count: 1}\nupdate: {min_healthy: 1s}");
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
  void aSecretReachesOnlyTheAppOnItsHost() throws Exception {
    Path key = fleet.dir().resolve("server/secrets.key");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));

    fleet.cli("apply", "-f", spec.toString(), "--wait").requireSuccess();
    Fleet.Agent web1 = fleet.agent("web-1");
    assertEquals(FIRST + "\n", web1.get("hello.local", "/").body());
    assertTrue(fleet.cli("apply", "-f", spec.toString()).requireSuccess().out().contains("unchanged"));

    Path file = web1.appsDir.resolve("releases/hello/secrets-1.json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertNotEquals("root", Files.getOwner(file).getName(), "owned by the app's unprivileged user");
    assertEquals(List.of(file.toString(), web1.dataDir.resolve("state/assignments.pb").toString()),
        Leaks.filesHolding(FIRST, web1), "only the secrets file and the agent's own state hold the value");
    assertEquals(List.of(), Leaks.filesHolding(FIRST, fleet.agent("worker-1")));

    Drover.Result yaml = fleet.cli("get", "hello").requireSuccess();
    assertTrue(yaml.out().contains("secrets:\n  GREETING: (secret)\n"), yaml.out());
    JsonNode json = fleet.json("get", "hello", "-o", "json");
    assertEquals("(secret)", json.path("spec").path("secrets").path("GREETING").asText(), json.toString());

    // a new value: plan names the secret, apply makes revision 2 and restarts the app beside the old one
    long master = Processes.gunicornMaster(web1.dataDir.toString()).orElseThrow();
    Examples.edit(spec, FIRST, SECOND);
    Drover.Result plan = fleet.cli("plan", "-f", spec.toString());
    assertEquals(2, plan.exit(), plan.out() + plan.err());
    assertTrue(plan.out().contains("secrets.GREETING"), plan.out());
    Drover.Result applied = fleet.cli("apply", "-f", spec.toString(), "--wait").requireSuccess();
    assertTrue(applied.out().contains("revision 2"), applied.out());
    assertEquals(SECOND + "\n", web1.get("hello.local", "/").body());
    assertNotEquals(master, Processes.gunicornMaster(web1.dataDir.toString()).orElse(-1L));
    assertFalse(Files.exists(file), "the old revision's secrets file went with it");
    Drover.Result history = fleet.cli("history", "hello").requireSuccess();
    assertTrue(history.out().contains("secrets.GREETING"), history.out());

    String printed = yaml.out() + json + plan.out() + plan.err() + applied.out() + history.out();
    assertFalse(printed.contains(MARK), "the CLI printed a secret:\n" + printed);
    for (String process : List.of("server", "web-1", "worker-1")) {
      assertFalse(Files.readString(fleet.log(process)).contains(MARK), "a secret in the log of " + process);
    }
    String rows = Leaks.everyRow(db.url());
    assertTrue(rows.contains("GREETING"), "the dump reads the revisions");
    assertFalse(rows.contains(MARK), "a secret in clear in the database");
  }
}
