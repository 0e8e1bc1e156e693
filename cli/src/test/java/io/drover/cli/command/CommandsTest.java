package io.drover.cli.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Timestamp;
import io.drover.api.v1.AppStatus;
import io.drover.api.v1.Host;
import io.drover.api.v1.HostFacts;
import io.drover.api.v1.Instance;
import io.drover.cli.bundle.BundlePacker;
import io.drover.cli.command.CliRun.Result;
import io.drover.cli.spec.SpecReader;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code drover} commands against a fake server on a loopback port. */
class CommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final FakeOperatorService fake = new FakeOperatorService();
  private CliRun cli;
  private Path spec;

  @BeforeEach
  void start() throws IOException {
    cli = new CliRun(fake);
    Files.createDirectories(dir.resolve("app"));
    Files.writeString(dir.resolve("app/app.py"), "from flask import Flask\napp = Flask(__name__)\n");
    spec =
        Files.writeString(
            dir.resolve("hello.yaml"),
            """
            name: hello
            source: ./app
            gunicorn: {app: "app:app", workers: auto}
            nginx: {domains: [hello.local]}
            health: {path: /healthz}
            env: {GREETING: "Hello from drover"}
            placement: {labels: {role: web}, count: 2}
            """);
  }

  @AfterEach
  void stop() throws InterruptedException {
    cli.close();
  }

  private Result drover(String... args) {
    return cli.drover(args);
  }

  private static Result run(String... args) {
    return CliRun.run(args);
  }

  private static Instance instance(String host, long revision, String state, boolean healthy) {
    return Instance.newBuilder().setHost(host).setRevision(revision).setState(state).setHealthy(healthy).build();
  }

  private static AppStatus status(long revision, Instance... instances) {
    return AppStatus.newBuilder().setApp("hello").setRevision(revision).setExists(true).setDesired(2).addAllInstances(List.of(instances)).build();
  }

  @Test
  void applyUploadsTheBundleOnceAndStoresARevision() throws Exception {
    Result first = drover("apply", "-f", spec.toString());
    assertEquals(new Result(0, "hello: revision 1 applied\n", ""), first);
    assertEquals(1, fake.uploads.get());
    String sha256 = fake.apps.get("hello").getSpec().getBundleSha256();
    assertArrayEquals(BundlePacker.pack(dir.resolve("app")).data(), fake.bundles.get(sha256).toByteArray());
    assertEquals(SpecReader.read(spec).spec(), fake.apps.get("hello").getSpec().toBuilder().clearBundleSha256().build());

    Result again = drover("apply", "-f", spec.toString());
    assertEquals(new Result(0, "hello: unchanged at revision 1\n", ""), again);
    assertEquals(1, fake.uploads.get(), "an unchanged source is not uploaded again");

    Files.writeString(dir.resolve("app/app.py"), "# changed\n", java.nio.file.StandardOpenOption.APPEND);
    Result changed = drover("apply", "-f", spec.toString(), "-o", "json");
    assertEquals(0, changed.status());
    JsonNode json = JSON.readTree(changed.out());
    assertEquals("hello", json.get("app").asText());
    assertEquals(2, json.get("revision").longValue());
    assertTrue(json.get("changed").asBoolean());
    assertEquals(2, fake.uploads.get());
  }

  @Test
  void anInvalidSpecSendsNothingAndNamesTheField() throws Exception {
    Files.writeString(spec, Files.readString(spec).replace("domains: [hello.local]", "domain: [hello.local]"));
    Result result = drover("apply", "-f", spec.toString());
    assertEquals(1, result.status());
    assertEquals("", result.out());
    assertEquals(
        spec + ": nginx.domain: unknown key (expected domains, static, client_max_body_size, tls, hsts, behind_proxy; did you mean domains?)\n" + spec + ": nginx.domains: at least one domain\n",
        result.err());
    assertEquals(0, fake.calls.get(), "nothing was sent");
  }

  @Test
  void applyWaitPrintsHostChangesUntilEveryInstanceIsHealthy() {
    fake.watched.addAll(
        List.of(
            status(1, instance("web-1", 1, "starting", false)),
            status(1, instance("web-1", 1, "running", true), instance("web-2", 1, "starting", false)),
            status(1, instance("web-1", 1, "running", true), instance("web-2", 1, "running", true))));
    Result result = drover("apply", "-f", spec.toString(), "--wait", "--timeout", "10s");
    assertEquals(
        new Result(
            0,
            """
            hello: revision 1 applied
            web-1: starting, not healthy (revision 1)
            web-1: running, healthy (revision 1)
            web-2: starting, not healthy (revision 1)
            web-2: running, healthy (revision 1)
            hello: revision 1 is running and healthy
            """,
            ""),
        result);
  }

  @Test
  void applyWaitFailsWithTheReasonOfAFailedInstance() {
    Instance failed = instance("web-2", 1, "failed", false).toBuilder().setReason("gunicorn exited").addLogTail("ImportError: app").build();
    fake.watched.add(status(1, instance("web-1", 1, "running", true), failed));
    Result result = drover("apply", "-f", spec.toString(), "--wait");
    assertEquals(1, result.status());
    assertTrue(result.out().contains("web-2: failed, not healthy (revision 1): gunicorn exited\n  | ImportError: app\n"), result.out());
    assertEquals("drover: hello: revision 1 failed on web-2: gunicorn exited\n", result.err());
  }

  @Test
  void applyWaitTimesOutNamingTheHostsNotReady() {
    fake.watched.add(status(1, instance("web-1", 1, "starting", false)));
    Result result = drover("apply", "-f", spec.toString(), "--wait", "--timeout", "1s");
    assertEquals(3, result.status());
    assertEquals(
        "drover: hello: revision 1 not ready after 1s: web-1 (starting, not healthy, revision 1), 1 more instance not placed yet\n",
        result.err());
  }

  @Test
  void statusShowsEachProcessPerHost() throws Exception {
    drover("apply", "-f", spec.toString());
    io.drover.api.v1.ProcessState worker = io.drover.api.v1.ProcessState.newBuilder().setName("worker").setRunning(1)
        .setWanted(2).addOtherStates("FATAL").build();
    io.drover.api.v1.ProcessState beat = io.drover.api.v1.ProcessState.newBuilder().setName("beat").setRunning(1)
        .setWanted(1).build();
    fake.watched.add(status(1, instance("web-1", 1, "running", true).toBuilder().addProcesses(beat).addProcesses(worker).build(),
        instance("web-2", 1, "starting", false)));
    Result table = drover("status", "hello");
    assertEquals(
        """
        hello: revision 1, 2 of 2 instances placed
        HOST   REVISION  STATE     HEALTHY  PROCESSES                     REASON
        web-1  1         running   yes      beat 1/1, worker 1/2 (FATAL)  -
        web-2  1         starting  no       -                             -
        """,
        table.out());
    JsonNode json = JSON.readTree(drover("status", "hello", "-o", "json").out());
    JsonNode processes = json.get("instances").get(0).get("processes");
    assertEquals("worker", processes.get(1).get("name").asText());
    assertEquals(1, processes.get(1).get("running").asInt());
    assertEquals(2, processes.get(1).get("wanted").asInt());
    assertEquals("FATAL", processes.get(1).get("otherStates").get(0).asText());
  }

  @Test
  void statusJsonIsTheAppStatusMessage() throws Exception {
    drover("apply", "-f", spec.toString());
    fake.watched.add(
        status(1, instance("web-1", 1, "running", true), instance("web-2", 1, "starting", false)).toBuilder()
            .setShortfall("3 hosts wanted, 2 match placement {role=web}")
            .build());
    Result result = drover("status", "hello", "-o", "json");
    assertEquals(0, result.status(), result.err());
    JsonNode json = JSON.readTree(result.out());
    assertEquals("hello", json.get("app").asText());
    assertTrue(json.get("revision").isIntegralNumber(), "revision is a number: " + result.out());
    assertEquals(1, json.get("revision").asInt());
    assertTrue(result.out().contains("\"shortfall\": \"3 hosts wanted, 2 match placement {role=web}\""), result.out());
    assertEquals(2, json.get("instances").size());
    JsonNode second = json.get("instances").get(1);
    assertEquals("web-2", second.get("host").asText());
    assertEquals("starting", second.get("state").asText());
    assertEquals(1, second.get("revision").longValue());
    assertTrue(second.has("healthy") && !second.get("healthy").asBoolean(), "healthy: false is printed");

    Result table = drover("status", "hello");
    assertEquals(
        """
        hello: revision 1, 2 of 2 instances placed
        warning: 3 hosts wanted, 2 match placement {role=web}
        HOST   REVISION  STATE     HEALTHY  REASON
        web-1  1         running   yes      -
        web-2  1         starting  no       -
        """,
        table.out());
  }

  @Test
  void certsListsEachCertificateWithItsStateAndWhy() throws Exception {
    fake.certificates.add(io.drover.api.v1.AppCertificate.newBuilder().setApp("shop").addDomains("shop.example.com")
        .addDomains("www.shop.example.com").setSource("provided").setIssuer("CN=Example CA").setSerial("0a1b")
        .setNotBefore(Timestamp.newBuilder().setSeconds(1_700_000_000))
        .setNotAfter(Timestamp.newBuilder().setSeconds(1_707_776_000)).setState("valid").build());
    fake.certificates.add(io.drover.api.v1.AppCertificate.newBuilder().setApp("blog").addDomains("blog.example.com")
        .setSource("acme").setState("pending").setLastError("no certificate yet").build());
    List<String> table = drover("certs").out().lines().toList();
    assertEquals("APP   STATE    DOMAINS                                ISSUER         SERIAL  NOT BEFORE            "
        + "NOT AFTER             LAST ERROR", table.get(0));
    assertEquals("shop  valid    shop.example.com,www.shop.example.com  CN=Example CA  0a1b    2023-11-14T22:13:20Z  "
        + "2024-02-12T22:13:20Z  -", table.get(1));
    assertTrue(table.get(2).startsWith("blog  pending  blog.example.com"), table.get(2));
    assertTrue(table.get(2).endsWith("-                     -                     no certificate yet"), table.get(2));
    JsonNode json = JSON.readTree(drover("certs", "shop", "-o", "json").out());
    assertEquals(1, json.size(), json.toString());
    assertEquals("2024-02-12T22:13:20Z", json.get(0).get("not_after").asText());
    assertEquals("valid", json.get(0).get("state").asText());
    assertEquals("", json.get(0).get("last_error").asText());
  }

  @Test
  void hostsJsonIsAnArrayOfHosts() throws Exception {
    fake.hosts.add(Host.newBuilder().setName("web-1").putLabels("role", "web").setState("up").setInstances(1)
        .setFacts(HostFacts.newBuilder().setAgentVersion("0.2.0")).setLastSeen(Timestamp.newBuilder().setSeconds(1_700_000_000)).build());
    fake.hosts.add(Host.newBuilder().setName("web-2").setState("down").build());
    JsonNode json = JSON.readTree(drover("hosts", "-o", "json").out());
    assertTrue(json.isArray());
    assertEquals(2, json.size());
    assertEquals("web-1", json.get(0).get("name").asText());
    assertEquals("web", json.get(0).get("labels").get("role").asText());
    assertEquals("up", json.get(0).get("state").asText());
    assertEquals("2023-11-14T22:13:20Z", json.get(0).get("lastSeen").asText());

    List<String> table = drover("hosts").out().lines().toList();
    assertEquals("0.2.0", json.get(0).get("facts").get("agentVersion").asText());
    assertEquals("NAME   STATE  LABELS    APPS  AGENT  LAST SEEN", table.get(0));
    assertTrue(table.get(1).startsWith("web-1  up     role=web  1     0.2.0  "), table.get(1));
    assertEquals("web-2  down   -         0     -      never", table.get(2));
    assertEquals("[]\n", drover("apps", "-o", "json").out());
  }

  @Test
  void getPrintsTheStoredSpecAsYamlThatReadsBack() throws Exception {
    drover("apply", "-f", spec.toString());
    Result result = drover("get", "hello");
    assertEquals(0, result.status(), result.err());
    Path copy = Files.writeString(dir.resolve("copy.yaml"), result.out() + "source: ./app\n");
    assertEquals(SpecReader.read(spec).spec(), SpecReader.read(copy).spec());
    JsonNode json = JSON.readTree(drover("get", "hello", "-o", "json").out());
    assertEquals("app:app", json.get("spec").get("gunicorn").get("app").asText());
  }

  @Test
  void getShowsSecretsByNameOnlyInYamlAndJson() throws Exception {
    Files.writeString(spec, Files.readString(spec) + "secrets: {API_KEY: hunter2-value}\n");
    drover("apply", "-f", spec.toString());
    // this fake server answers with the value: the CLI masks it all the same
    assertEquals("hunter2-value", fake.apps.get("hello").getSpec().getSecretsMap().get("API_KEY"));
    Result yaml = drover("get", "hello");
    assertTrue(yaml.out().contains("secrets:\n  API_KEY: (secret)\n"), yaml.out());
    Result json = drover("get", "hello", "-o", "json");
    assertEquals("(secret)", JSON.readTree(json.out()).get("spec").get("secrets").get("API_KEY").asText());
    assertFalse((yaml.out() + yaml.err() + json.out() + json.err()).contains("hunter2"));
  }

  @Test
  void anUnknownAppIsOneLineOnStderr() {
    for (String command : List.of("status", "get", "delete")) {
      assertEquals(new Result(1, "", "drover: app \"nope\" not found\n"), drover(command, "nope"));
    }
  }

  @Test
  void deleteWaitsUntilNoHostRunsTheApp() {
    drover("apply", "-f", spec.toString());
    fake.watched.addAll(
        List.of(
            status(1, instance("web-1", 1, "removing", false)).toBuilder().setExists(false).build(),
            AppStatus.newBuilder().setApp("hello").build()));
    assertEquals(
        new Result(0, "hello: deleted\nweb-1: removing, not healthy (revision 1)\nhello: removed from every host\n", ""),
        drover("delete", "hello", "--wait"));
  }

  @Test
  void anUnreachableServerIsNamed() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Result result = run("apps", "--server", "127.0.0.1:" + port, "--ca-fingerprint", "ab".repeat(32));
    assertEquals(new Result(1, "", "drover: cannot reach server at 127.0.0.1:" + port + " (connection refused)\n"), result);
  }

  @Test
  void usageErrorsExitWith64AndVersionAndHelpWork() {
    Result missing = run("apply");
    assertEquals(64, missing.status());
    assertTrue(missing.err().startsWith("drover: Missing required option: '--file=SPEC.yaml'"), missing.err());
    assertEquals(64, run("frobnicate").status());
    assertEquals(64, run().status());
    Result version = run("--version");
    assertEquals(0, version.status());
    assertTrue(version.out().matches("drover \\d+\\.\\d+\\.\\d+.*\\n"), version.out());
    Result help = run("apply", "--help");
    assertEquals(0, help.status());
    assertTrue(help.out().contains("--wait") && help.out().contains("--server=HOST:PORT"), help.out());
  }
}
