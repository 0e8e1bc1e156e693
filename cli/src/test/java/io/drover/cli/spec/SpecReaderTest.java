package io.drover.cli.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.api.v1.AppSpec;
import io.drover.api.v1.GunicornSpec;
import io.drover.api.v1.HealthSpec;
import io.drover.api.v1.NginxSpec;
import io.drover.api.v1.PlacementSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecReaderTest {
  @TempDir Path dir;

  @BeforeEach
  void createSource() throws IOException {
    Files.createDirectories(dir.resolve("app"));
  }

  private Path write(String yaml) throws IOException {
    return Files.writeString(dir.resolve("hello.yaml"), yaml);
  }

  private List<String> problems(String yaml) throws IOException {
    Path file = write(yaml);
    InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> SpecReader.read(file));
    return e.problems();
  }

  private static final String HELLO =
      """
      name: hello
      source: ./app
      gunicorn: {app: "app:app", workers: auto}
      nginx: {domains: [hello.local]}
      health: {path: /healthz}
      env: {GREETING: "Hello from drover"}
      placement: {labels: {role: web}, count: 2}
      """;

  @Test
  void readsTheExampleSpec() throws Exception {
    SpecFile read = SpecReader.read(write(HELLO));
    AppSpec expected =
        AppSpec.newBuilder()
            .setName("hello")
            .setGunicorn(GunicornSpec.newBuilder().setApp("app:app").setWorkers(0))
            .setNginx(NginxSpec.newBuilder().addDomains("hello.local"))
            .setHealth(HealthSpec.newBuilder().setPath("/healthz"))
            .putEnv("GREETING", "Hello from drover")
            .setPlacement(PlacementSpec.newBuilder().putLabels("role", "web").setCount(2))
            .build();
    assertEquals(expected, read.spec());
    assertEquals(dir.resolve("app").toAbsolutePath(), read.source());
  }

  @Test
  void readsTheShippedExample() throws Exception {
    Path example = Path.of("..", "examples", "hello", "hello.yaml");
    SpecFile read = SpecReader.read(example);
    assertEquals("hello", read.spec().getName());
    assertTrue(Files.isRegularFile(read.source().resolve("app.py")));
  }

  @Test
  void countAllWorkersNumberAndScalarEnvValues() throws Exception {
    SpecFile read =
        SpecReader.read(
            write(
                HELLO
                    .replace("workers: auto", "workers: 3")
                    .replace("count: 2", "count: all")
                    .replace("GREETING: \"Hello from drover\"", "PORT_HINT: 8000, DEBUG: false, RATIO: 0.5")));
    assertEquals(3, read.spec().getGunicorn().getWorkers());
    assertTrue(read.spec().getPlacement().getAll());
    assertEquals(0, read.spec().getPlacement().getCount());
    assertEquals(Map.of("PORT_HINT", "8000", "DEBUG", "false", "RATIO", "0.5"), read.spec().getEnvMap());
  }

  @Test
  void stringsAreTakenAsWritten() throws Exception {
    SpecFile read = SpecReader.read(write(HELLO.replace("GREETING: \"Hello from drover\"",
        "COUNTRY: NO, ZIP: 012, VERSION: 1.10, ON: yes, HEX: 0x1F, BIG: 123456789012345678901234, INF: .inf, Q: \"true\"")
        .replace("hello.local", "012")));
    assertEquals(Map.of("COUNTRY", "NO", "ZIP", "012", "VERSION", "1.10", "ON", "yes", "HEX", "0x1F",
        "BIG", "123456789012345678901234", "INF", ".inf", "Q", "true"), read.spec().getEnvMap());
    assertEquals(List.of("012"), read.spec().getNginx().getDomainsList());
    AppSpec spec = SpecReader.read(write(HELLO.replace("name: hello", "name: no") + "user: off\n")).spec();
    assertEquals("no", spec.getName());
    assertEquals("off", spec.getUser());
    assertEquals("app:app", SpecReader.read(write(HELLO.replace("\"app:app\"", "!!str app:app"))).spec().getGunicorn().getApp());
  }

  @Test
  void readsProcessesBuildAndTheNewSettings() throws Exception {
    AppSpec spec = SpecReader.read(write(HELLO
        .replace("workers: auto}", "workers: auto, timeout: 30s, graceful_timeout: 1m, worker_class: gthread, threads: 4, max_requests: 1000}")
        .replace("{domains: [hello.local]}", "{domains: [hello.local], static: {/static/: static/}, client_max_body_size: 20m}")
        .replace("{path: /healthz}", "{path: /healthz, interval: 5s, timeout: 2s, failures: 3, start_timeout: 2m}")
        + "python: /usr/bin/python3.11\nbuild: {command: \"python manage.py collectstatic --noinput\"}\n"
        + "processes: {worker: {command: \"celery -A proj worker\", per_host: 2}, beat: {command: run-beat}}\n")).spec();
    assertEquals(60, spec.getGunicorn().getGracefulTimeout().getSeconds());
    assertEquals("gthread", spec.getGunicorn().getWorkerClass());
    assertEquals(Map.of("/static/", "static/"), spec.getNginx().getStaticMap());
    assertEquals("20m", spec.getNginx().getClientMaxBodySize());
    assertEquals(120, spec.getHealth().getStartTimeout().getSeconds());
    assertEquals("/usr/bin/python3.11", spec.getPython());
    assertEquals("python manage.py collectstatic --noinput", spec.getBuild().getCommand());
    assertEquals(2, spec.getProcessesMap().get("worker").getPerHost());
    assertEquals("run-beat", spec.getProcessesMap().get("beat").getCommand());
    assertEquals(List.of("processes.worker.comand: unknown key (expected command, per_host; did you mean command?)",
            "processes.worker.command: required", "processes.beat.per_host: must be a positive integer, got \"two\""),
        problems(HELLO + "processes: {worker: {comand: x}, beat: {command: b, per_host: two}}\n"));
    assertEquals(List.of("build.command: required"), problems(HELLO + "build: {}\n"));
  }

  @Test
  void aBooleanFieldTakesOnlyTrueOrFalse() throws Exception {
    assertEquals(false, SpecReader.read(write(HELLO + "update: {auto_revert: false}\n")).spec().getUpdate().getAutoRevert());
    for (String written : List.of("no", "NO", "yes", "True", "off", "\"true\"", "1")) {
      assertEquals(List.of("update.auto_revert: must be true or false, got " + (written.startsWith("\"") || written.equals("1") ? written : "\"" + written + "\"")),
          problems(HELLO + "update: {auto_revert: " + written + "}\n"), written);
    }
  }

  @Test
  void anIntegerFieldTakesOnlyDecimalDigits() throws Exception {
    assertEquals(12, SpecReader.read(write(HELLO.replace("workers: auto", "workers: 012"))).spec().getGunicorn().getWorkers());
    for (String written : List.of("0x10", "1e1", "2.0", "\"4\"", "+4", "-1", "0o7", "99999999999")) {
      List<String> problems = problems(HELLO.replace("workers: auto", "workers: " + written));
      assertEquals(1, problems.size(), written + ": " + problems);
      assertTrue(problems.get(0).startsWith("gunicorn.workers: must be a positive integer or \"auto\", got "), problems.get(0));
      assertTrue(problems.get(0).endsWith(written.replace("\"", "") + "\"") || problems.get(0).endsWith(written), problems.get(0));
    }
  }

  @Test
  void aFileWithMoreThanOneDocumentIsRefused() throws Exception {
    assertEquals(List.of("line 9: a second YAML document; a spec file holds one app's spec, one document (remove the ---)"),
        problems(HELLO + "---\nname: other\n"));
    assertEquals(List.of("line 3: a second YAML document; a spec file holds one app's spec, one document (remove the ---)"),
        problems("---\n---\n" + HELLO));
    SpecReader.read(write("---\n" + HELLO));
  }

  @Test
  void unknownKeysNameTheirPath() throws Exception {
    assertEquals(
        List.of("nginx.domain: unknown key (expected domains, static, client_max_body_size, tls, hsts, behind_proxy; did you mean domains?)", "nginx.domains: at least one domain"),
        problems(HELLO.replace("domains: [hello.local]", "domain: [hello.local]")));
    assertEquals(
        List.of("image: unknown key (expected name, source, gunicorn, nginx, health, env, secrets, placement, update, user, python, build, processes)"),
        problems(HELLO + "image: python:3\n"));
  }

  @Test
  void aMistypedKeyGetsAHint() throws Exception {
    assertEquals(
        List.of("gunicorn.wokers: unknown key (expected app, workers, timeout, graceful_timeout, worker_class, threads, max_requests; did you mean workers?)"),
        problems(HELLO.replace("workers: auto", "wokers: 2")));
    assertEquals(
        List.of("placment: unknown key (expected name, source, gunicorn, nginx, health, env, secrets, placement, update, "
            + "user, python, build, processes; did you mean placement?)", "placement.count: must be at least 1 or \"all\", got 0"),
        problems(HELLO.replace("placement:", "placment:")));
    assertEquals(
        List.of("health.pth: unknown key (expected path, interval, timeout, failures, start_timeout; did you mean path?)", "health.path: required"),
        problems(HELLO.replace("{path: /healthz}", "{pth: /healthz}")));
  }

  @Test
  void wrongTypesNameTheirPath() throws Exception {
    assertEquals(
        List.of("gunicorn.workers: must be a positive integer or \"auto\", got \"many\""),
        problems(HELLO.replace("workers: auto", "workers: many")));
    assertEquals(
        List.of("gunicorn.workers: must be a positive integer or \"auto\", got 0"),
        problems(HELLO.replace("workers: auto", "workers: 0")));
    assertEquals(
        List.of("nginx.domains: must be a list of domain names, e.g. [hello.example.com]"),
        problems(HELLO.replace("[hello.local]", "hello.local")));
    assertEquals(
        List.of("env.GREETING: must be a string, number or boolean, got a list"),
        problems(HELLO.replace("\"Hello from drover\"", "[a, b]")));
    assertEquals(
        List.of("placement.count: must be at least 1 or \"all\", got 0"),
        problems(HELLO.replace("count: 2", "count: 0")));
    assertEquals(List.of("health: must be a mapping, got \"/healthz\""), problems(HELLO.replace("{path: /healthz}", "/healthz")));
  }

  @Test
  void sourceMustBeAnExistingDirectory() throws Exception {
    assertEquals(List.of("source: ./nope is not a directory"), problems(HELLO.replace("./app", "./nope")));
    assertEquals(List.of("source: required"), problems(HELLO.replace("source: ./app\n", "")));
  }

  @Test
  void collectsEveryProblemPrefixedByTheFile() throws Exception {
    Path file =
        write(
            HELLO
                .replace("name: hello", "name: Hello")
                .replace("[hello.local]", "[ok.local, \"a b\"]")
                .replace("/healthz", "healthz"));
    InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> SpecReader.read(file));
    assertEquals(
        List.of(
            file + ": name: must match [a-z][a-z0-9-]{0,39}, got \"Hello\"",
            file + ": nginx.domains[1]: \"a b\" is not a valid domain name",
            file + ": health.path: must start with / and contain only [A-Za-z0-9._~/-] (at most 1024 characters), got \"healthz\""),
        e.getMessage().lines().toList());
  }

  @Test
  void missingSectionsAreRequired() throws Exception {
    assertEquals(
        List.of(
            "gunicorn.app: required",
            "nginx.domains: at least one domain",
            "health.path: required",
            "placement.count: must be at least 1 or \"all\", got 0"),
        problems("name: hello\nsource: ./app\n"));
  }

  @Test
  void brokenYamlAndDuplicateKeysAreReportedWithTheirLine() throws Exception {
    List<String> broken = problems("name: hello\nnginx: {domains: [a\n");
    assertEquals(1, broken.size());
    assertTrue(broken.get(0).contains("not valid YAML"), broken.get(0));
    List<String> duplicate = problems("name: hello\nname: other\n");
    assertTrue(duplicate.get(0).startsWith("line 2: not valid YAML: Duplicate field 'name'"), duplicate.get(0));
    assertEquals(List.of("empty spec"), problems("# nothing\n"));
    assertEquals(List.of("no such file"), assertThrows(InvalidSpecException.class, () -> SpecReader.read(dir.resolve("missing.yaml"))).problems());
  }

  @Test
  void readsTheUpdateBlock() throws Exception {
    AppSpec spec = SpecReader.read(write(HELLO + "update: {max_parallel: 3, min_healthy: 0s, deadline: 2m, auto_revert: false}\n")).spec();
    assertEquals(3, spec.getUpdate().getMaxParallel());
    assertEquals(0, spec.getUpdate().getMinHealthy().getSeconds());
    assertTrue(spec.getUpdate().hasMinHealthy());
    assertEquals(120, spec.getUpdate().getDeadline().getSeconds());
    assertEquals(false, spec.getUpdate().getAutoRevert());
    AppSpec half = SpecReader.read(write(HELLO + "update: {min_healthy: 500ms}\n")).spec();
    assertEquals(500_000_000, half.getUpdate().getMinHealthy().getNanos());
    assertTrue(half.getUpdate().getAutoRevert() || !half.getUpdate().hasAutoRevert(), "auto_revert unset means true");
    assertEquals(false, SpecReader.read(write(HELLO)).spec().hasUpdate(), "no update block, defaults");
  }

  @Test
  void updateProblemsNameTheirField() throws Exception {
    assertEquals(java.util.Set.of(
            "update.max_parallel: must be a positive integer, got 0",
            "update.min_healthy: must be a duration like 0s, 500ms, 5s or 2m, got \"soon\"",
            "update.deadline: must be a duration like 500ms, 5s or 2m, got \"0s\"",
            "update.auto_revert: must be true or false, got \"yes\"",
            "update.batch: unknown key (expected max_parallel, min_healthy, deadline, auto_revert)"),
        java.util.Set.copyOf(problems(
            HELLO + "update: {max_parallel: 0, min_healthy: soon, deadline: 0s, auto_revert: \"yes\", batch: 2}\n")));
  }

  @Test
  void readsSecretsLikeEnvAndNeverShowsTheirValuesInProblems() throws Exception {
    SpecFile read = SpecReader.read(write(HELLO + "secrets: {API_KEY: hunter2, PORT_PIN: 1234}\n"));
    assertEquals(Map.of("API_KEY", "hunter2", "PORT_PIN", "1234"), read.spec().getSecretsMap());
    assertEquals(List.of("secrets: must be a mapping of NAME: value"), problems(HELLO + "secrets: hunter2\n"));
    assertEquals(List.of("secrets.API_KEY: must be a string, number or boolean, got a list"),
        problems(HELLO + "secrets: {API_KEY: [hunter2]}\n"));
    assertEquals(List.of("secrets.GREETING: also set in env; a variable is either in env or in secrets"),
        problems(HELLO + "secrets: {GREETING: hunter2}\n"));
    assertEquals(List.of("secrets.bad-name: name must match [A-Za-z_][A-Za-z0-9_]* (at most 128 characters)"),
        problems(HELLO + "secrets: {bad-name: hunter2}\n"));
  }

  @Test
  void readsTheUserAndRefusesRoot() throws Exception {
    assertEquals("www-data", SpecReader.read(write(HELLO + "user: www-data\n")).spec().getUser());
    assertEquals("", SpecReader.read(write(HELLO)).spec().getUser(), "no user: the agent's default");
    assertEquals(List.of("user: apps never run as root; name an unprivileged account or leave user out"),
        problems(HELLO + "user: root\n"));
    assertEquals(List.of("user: must be an account name matching [a-z_][a-z0-9_-]{0,31}, got \"1000\""),
        problems(HELLO + "user: 1000\n"));
    assertEquals(List.of("user: must be a string, got a list"), problems(HELLO + "user: [a]\n"));
  }

  @Test
  void hostileEnvValuesAreKeptAndControlCharactersRefused() throws Exception {
    String value = "a\"b'c; } # $host %(ENV_X)s";
    assertEquals(value, SpecReader.read(write(HELLO.replace("env: {", "env: {EVIL: \"" + value.replace("\"", "\\\"") + "\", "))).spec().getEnvOrThrow("EVIL"));
    assertEquals(List.of("env.NL: value must not contain control characters (line breaks, NUL, ...), found U+000A at 1"),
        problems(HELLO.replace("env: {", "env: {NL: \"a\\nb\", ")));
  }

  @Test
  void theCertificateAndKeyFilesAreReadBesideTheSpec() throws Exception {
    io.drover.testing.TestCertificates.Issued cert =
        io.drover.testing.TestCertificates.selfSigned(dir.resolve("tls"), "hello", List.of("hello.local"));
    String yaml = HELLO.replace("nginx: {domains: [hello.local]}",
        "nginx: {domains: [hello.local], tls: {certificate: ./tls/hello.crt, key: tls/hello.key}, hsts: true, "
            + "behind_proxy: [10.0.0.0/8]}");
    AppSpec spec = SpecReader.read(write(yaml)).spec();
    assertEquals(cert.certificate(), spec.getNginx().getTls().getCertificate());
    assertEquals(cert.key(), spec.getNginx().getTls().getKey());
    assertEquals(List.of("10.0.0.0/8"), spec.getNginx().getBehindProxyList());
    assertEquals(List.of("nginx.tls.certificate: cannot read ./tls/nope.crt: no such file"),
        problems(yaml.replace("./tls/hello.crt", "./tls/nope.crt")));
    assertEquals(List.of("nginx.tls: must be acme or {certificate: FILE, key: FILE}, got 42"),
        problems(HELLO.replace("nginx: {domains: [hello.local]}", "nginx: {domains: [hello.local], tls: 42}")));
  }
}
