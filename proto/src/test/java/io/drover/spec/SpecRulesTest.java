package io.drover.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.api.v1.AppSpec;
import io.drover.api.v1.GunicornSpec;
import io.drover.api.v1.HealthSpec;
import io.drover.api.v1.NginxSpec;
import io.drover.api.v1.PlacementSpec;
import io.drover.api.v1.UpdateSpec;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class SpecRulesTest {

  private static AppSpec valid() {
    return AppSpec.newBuilder()
        .setName("hello")
        .setBundleSha256("a".repeat(64))
        .setGunicorn(GunicornSpec.newBuilder().setApp("app:app").setWorkers(0))
        .setNginx(NginxSpec.newBuilder().addDomains("hello.local").addDomains("*.hello.example.com"))
        .setHealth(HealthSpec.newBuilder().setPath("/healthz"))
        .putEnv("GREETING", "Hello from drover")
        .setPlacement(PlacementSpec.newBuilder().putLabels("role", "web").setCount(2))
        .build();
  }

  private static List<String> problemsOf(UnaryOperator<AppSpec.Builder> change) {
    return SpecRules.check(change.apply(valid().toBuilder()).build());
  }

  private static void assertOneProblem(String expectedStart, UnaryOperator<AppSpec.Builder> change) {
    List<String> problems = problemsOf(change);
    assertEquals(1, problems.size(), () -> "problems: " + problems);
    assertTrue(problems.get(0).startsWith(expectedStart), () -> "problem: " + problems.get(0));
  }

  @Test
  void aCompleteSpecHasNoProblems() {
    assertEquals(List.of(), SpecRules.check(valid()));
  }

  @Test
  void nameMustBeLowerCaseAndShort() {
    assertOneProblem("name: must match [a-z][a-z0-9-]{0,39}", b -> b.setName("Hello"));
    assertOneProblem("name: must match", b -> b.setName("9lives"));
    assertOneProblem("name: must match", b -> b.setName("a".repeat(41)));
    assertOneProblem("name: required", b -> b.setName(""));
    assertEquals(List.of(), problemsOf(b -> b.setName("a" + "-b1".repeat(13))));
  }

  @Test
  void bundleDigestIsReportedAsTheSource() {
    assertOneProblem("source: bundle digest missing", b -> b.setBundleSha256(""));
    assertOneProblem("source: bundle digest must be 64 lowercase hex", b -> b.setBundleSha256("A".repeat(64)));
    assertOneProblem("source: bundle digest must be 64 lowercase hex", b -> b.setBundleSha256("ab"));
  }

  @Test
  void checkBeforeBundleIgnoresTheDigest() {
    assertEquals(List.of(), SpecRules.checkBeforeBundle(valid().toBuilder().clearBundleSha256().build()));
  }

  @Test
  void gunicornAppIsModuleColonCallable() {
    assertOneProblem("gunicorn.app: required", b -> b.clearGunicorn());
    assertOneProblem("gunicorn.app: must be module:callable", b -> b.setGunicorn(GunicornSpec.newBuilder().setApp("app")));
    assertOneProblem("gunicorn.app: must be module:callable", b -> b.setGunicorn(GunicornSpec.newBuilder().setApp("app:create_app()")));
    assertOneProblem("gunicorn.app: must be module:callable", b -> b.setGunicorn(GunicornSpec.newBuilder().setApp("my-site.wsgi:app")));
    assertOneProblem("gunicorn.app: must be module:callable", b -> b.setGunicorn(GunicornSpec.newBuilder().setApp("a..b:app")));
    assertEquals(List.of(), problemsOf(b -> b.setGunicorn(GunicornSpec.newBuilder().setApp("mysite.wsgi:application"))));
  }

  @Test
  void workersArePositiveOrAuto() {
    String problem = "gunicorn.workers: must be a positive integer or \"auto\"";
    assertOneProblem(problem, b -> b.setGunicorn(GunicornSpec.newBuilder().setApp("app:app").setWorkers(-1)));
    assertOneProblem(problem, b -> b.setGunicorn(GunicornSpec.newBuilder().setApp("app:app").setWorkers(257)));
    assertEquals(List.of(), problemsOf(b -> b.setGunicorn(GunicornSpec.newBuilder().setApp("app:app").setWorkers(256))));
  }

  @Test
  void domainsAreLowerCaseDnsNames() {
    assertOneProblem("nginx.domains: at least one domain", b -> b.clearNginx());
    assertOneProblem(
        "nginx.domains[1]: \"a b\" is not a valid domain name",
        b -> b.setNginx(NginxSpec.newBuilder().addDomains("ok.example").addDomains("a b")));
    for (String bad : List.of("Hello.local", "-a.b", "a..b", "a.b.", "*", "a.*.b", "x".repeat(64) + ".com", "a.".repeat(127) + "ab")) {
      assertOneProblem("nginx.domains[0]: ", b -> b.setNginx(NginxSpec.newBuilder().addDomains(bad)));
    }
    assertOneProblem("nginx.domains[1]: \"a.b\" is listed twice", b -> b.setNginx(NginxSpec.newBuilder().addDomains("a.b").addDomains("a.b")));
    assertEquals(List.of(), problemsOf(b -> b.setNginx(NginxSpec.newBuilder().addDomains("localhost").addDomains("*.x-1.io"))));
  }

  @Test
  void healthPathIsAStrictAbsolutePath() {
    assertOneProblem("health.path: required", b -> b.clearHealth());
    String problem = "health.path: must start with / and contain only [A-Za-z0-9._~/-]";
    for (String bad : List.of("healthz", "/health?full=1", "/a b", "/ü", "/" + "a".repeat(1024))) {
      assertOneProblem(problem, b -> b.setHealth(HealthSpec.newBuilder().setPath(bad)));
    }
    assertEquals(List.of(), problemsOf(b -> b.setHealth(HealthSpec.newBuilder().setPath("/"))));
  }

  @Test
  void envNamesAndValuesAreSafe() {
    assertOneProblem("env.1ABC: name must match", b -> b.putEnv("1ABC", "x"));
    assertOneProblem("env.A-B: name must match", b -> b.putEnv("A-B", "x"));
    assertOneProblem("env.MULTI: value must not contain control characters", b -> b.putEnv("MULTI", "a\nb"));
    assertOneProblem("env.NUL: value must not contain control characters", b -> b.putEnv("NUL", "a\0"));
    assertOneProblem("env.CR: value must not contain control characters", b -> b.putEnv("CR", "a\r"));
    assertOneProblem("env.BIG: value must be at most 4096 characters", b -> b.putEnv("BIG", "x".repeat(4097)));
    assertEquals(List.of(), problemsOf(b -> b.putEnv("_OK", "x".repeat(4096)).putEnv("EMPTY", "").putEnv("TAB", "a\tb")));
  }

  @Test
  void secretsFollowTheEnvRulesWithoutQuotingValues() {
    assertOneProblem("secrets.1ABC: name must match", b -> b.putSecrets("1ABC", "x"));
    assertOneProblem("secrets.MULTI: value must not contain control characters", b -> b.putSecrets("MULTI", "s3cr\net"));
    assertOneProblem("secrets.BIG: value must be at most 4096 characters", b -> b.putSecrets("BIG", "x".repeat(4097)));
    assertOneProblem("secrets.GREETING: also set in env", b -> b.putSecrets("GREETING", "hidden"));
    assertEquals(List.of(), problemsOf(b -> b.putSecrets("API_KEY", "x".repeat(4096)).putSecrets("EMPTY", "")));
    for (String problem : problemsOf(b -> b.putSecrets("BAD-NAME", "s3cr\net").putSecrets("GREETING", "s3cr\net"))) {
      assertTrue(!problem.contains("s3cr"), () -> "a problem quotes the secret: " + problem);
    }
  }

  @Test
  void envValuesArePrintableTextWithAnyPunctuation() {
    String hostile = "'\"; } # $host %(ENV_X)s \\ ` <>& ;#, ü 漢字 \uD83D\uDE00";
    assertEquals(List.of(), problemsOf(b -> b.putEnv("HOSTILE", hostile)));
    assertOneProblem("env.LS: value must not contain control characters", b -> b.putEnv("LS", "a\u2028b"));
    assertOneProblem("env.NEL: value must not contain control characters", b -> b.putEnv("NEL", "a\u0085b"));
    assertOneProblem("env.DEL: value must not contain control characters", b -> b.putEnv("DEL", "a\u007f"));
    assertOneProblem("env.SUR: value must be valid text, found an unpaired surrogate", b -> b.putEnv("SUR", "a\uD800b"));
  }

  @Test
  void countsAndSizesHaveLimitsNamingTheirField() {
    assertOneProblem("env: at most 128 entries, got 129", b -> {
      for (int i = 0; i < 128; i++) { // plus GREETING
        b.putEnv("V" + i, "x");
      }
      return b;
    });
    assertOneProblem("env." + "\"" + "N".repeat(128), b -> b.putEnv("N".repeat(129), "x"));
    assertOneProblem("nginx.domains: at most 64 domains, got 65", b -> {
      NginxSpec.Builder n = NginxSpec.newBuilder();
      for (int i = 0; i < 65; i++) {
        n.addDomains("d" + i + ".example");
      }
      return b.setNginx(n);
    });
    assertOneProblem("placement.labels: at most 32 labels, got 33", b -> {
      PlacementSpec.Builder p = PlacementSpec.newBuilder().setCount(1);
      for (int i = 0; i < 33; i++) {
        p.putLabels("k" + i, "v");
      }
      return b.setPlacement(p);
    });
    assertOneProblem("spec: ", b -> {
      for (int i = 0; i < 40; i++) {
        b.putEnv("BIG" + i, "x".repeat(4096));
      }
      return b;
    });
    assertOneProblem("gunicorn.app: must be module:callable",
        b -> b.setGunicorn(GunicornSpec.newBuilder().setApp("a".repeat(300) + ":app")));
  }

  private static com.google.protobuf.Duration seconds(long s, int nanos) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(s).setNanos(nanos).build();
  }

  @Test
  void gunicornSettingsHaveRangesNamingTheirField() {
    assertEquals(List.of(), problemsOf(b -> { b.getGunicornBuilder().setTimeout(seconds(30, 0)).setGracefulTimeout(seconds(600, 0))
        .setWorkerClass("gthread").setThreads(4).setMaxRequests(1000); return b; }));
    assertOneProblem("gunicorn.timeout: must be whole seconds", b -> { b.getGunicornBuilder().setTimeout(seconds(1, 500_000_000)); return b; });
    assertOneProblem("gunicorn.timeout: must be from 1s to 10m, got 11m", b -> { b.getGunicornBuilder().setTimeout(seconds(660, 0)); return b; });
    assertOneProblem("gunicorn.graceful_timeout: must be from 1s to 10m, got 0s",
        b -> { b.getGunicornBuilder().setGracefulTimeout(seconds(0, 0)); return b; });
    assertOneProblem("gunicorn.worker_class: must be one of sync, gthread, gevent, eventlet, got \"tornado\"",
        b -> { b.getGunicornBuilder().setWorkerClass("tornado"); return b; });
    assertOneProblem("gunicorn.threads: must be a positive integer (at most 256), got 257",
        b -> { b.getGunicornBuilder().setThreads(257); return b; });
    assertOneProblem("gunicorn.max_requests: must be a positive integer, got -1",
        b -> { b.getGunicornBuilder().setMaxRequests(-1); return b; });
  }

  @Test
  void healthSettingsHaveRangesNamingTheirField() {
    assertEquals(List.of(), problemsOf(b -> { b.getHealthBuilder().setInterval(seconds(5, 0)).setTimeout(seconds(2, 0))
        .setFailures(3).setStartTimeout(seconds(120, 0)); return b; }));
    assertOneProblem("health.interval: must be whole seconds", b -> { b.getHealthBuilder().setInterval(seconds(0, 500_000_000)); return b; });
    assertOneProblem("health.timeout: must be from 100ms to 1m, got 50ms",
        b -> { b.getHealthBuilder().setTimeout(seconds(0, 50_000_000)); return b; });
    assertOneProblem("health.failures: must be a positive integer (at most 100), got 101", b -> { b.getHealthBuilder().setFailures(101); return b; });
    assertOneProblem("health.start_timeout: must be from 1s to 1h, got 2h",
        b -> { b.getHealthBuilder().setStartTimeout(seconds(7200, 0)); return b; });
  }

  @Test
  void staticPrefixesAreServedFromDirectoriesOfTheRelease() {
    assertEquals(List.of(), problemsOf(b -> { b.getNginxBuilder().putStatic("/static/", "static/").putStatic("/media/x/", "var/media")
        .setClientMaxBodySize("20m"); return b; }));
    for (String prefix : List.of("/", "static/", "/static", "/a b/", "/$x/", "/../")) {
      assertOneProblem("nginx.static.", b -> { b.getNginxBuilder().putStatic(prefix, "static"); return b; });
    }
    for (String dir : List.of("/etc", "../x", "a/../../x", "./x", "a b", "$x", "")) {
      assertOneProblem("nginx.static.\"/s/\": directory must be relative to the release", b -> { b.getNginxBuilder().putStatic("/s/", dir); return b; });
    }
    for (String size : List.of("20mb", "-1", "1.5m", "m", "1234567")) {
      assertOneProblem("nginx.client_max_body_size: must be a size like 512k, 20m or 1g", b -> { b.getNginxBuilder().setClientMaxBodySize(size); return b; });
    }
  }

  @Test
  void pythonIsAnAbsolutePath() {
    assertEquals(List.of(), problemsOf(b -> b.setPython("/usr/bin/python3.11")));
    for (String bad : List.of("python3", "/usr/bin/py thon", "/usr/../bin/python3", "/usr/bin/python3;rm", "/")) {
      assertOneProblem("python: must be an absolute path", b -> b.setPython(bad));
    }
  }

  @Test
  void userIsAnUnprivilegedAccountName() {
    assertEquals(List.of(), problemsOf(b -> b.setUser("")));
    assertEquals(List.of(), problemsOf(b -> b.setUser("www-data")));
    assertEquals(List.of(), problemsOf(b -> b.setUser("_app1")));
    assertOneProblem("user: apps never run as root", b -> b.setUser("root"));
    for (String bad : List.of("0", "Root", "a b", "a;b", "../x", "a".repeat(33), "app$")) {
      assertOneProblem("user: must be an account name", b -> b.setUser(bad));
    }
  }

  @Test
  void hostNamesAreLowerCaseDnsNames() {
    assertEquals(null, SpecRules.hostNameProblem("web-1"));
    assertEquals(null, SpecRules.hostNameProblem("web-1.eu.example.com"));
    assertEquals("required", SpecRules.hostNameProblem(""));
    for (String bad : List.of("Web", "web_1", "-web", "web-", "a..b", "a.", "web 1", "web;1", "web\n1", "x".repeat(64),
        "a.".repeat(127) + "ab")) {
      assertTrue(SpecRules.hostNameProblem(bad) != null, bad);
    }
  }

  @Test
  void hostLabelsFollowThePlacementRules() {
    assertEquals(List.of(), SpecRules.labelsProblems("hello.labels", java.util.Map.of("role", "web", "zone", "eu-1")));
    assertEquals(List.of("hello.labels.role: value \"a;b\" must match [A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?"),
        SpecRules.labelsProblems("hello.labels", java.util.Map.of("role", "a;b")));
    assertEquals(List.of("hello.labels.\"a b\": key must match [A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?"),
        SpecRules.labelsProblems("hello.labels", java.util.Map.of("a b", "x")));
  }

  @Test
  void placementLabelsAreSimpleTokens() {
    assertOneProblem(
        "placement.labels.role: value \"we b\" must match",
        b -> b.setPlacement(PlacementSpec.newBuilder().putLabels("role", "we b").setCount(1)));
    assertOneProblem(
        "placement.labels.-x: key must match",
        b -> b.setPlacement(PlacementSpec.newBuilder().putLabels("-x", "y").setCount(1)));
    assertEquals(
        List.of(),
        problemsOf(b -> b.setPlacement(PlacementSpec.newBuilder().putLabels("zone", "eu-west.1_a").setCount(1))));
  }

  @Test
  void countIsAtLeastOneOrAll() {
    String problem = "placement.count: must be at least 1 or \"all\"";
    assertOneProblem(problem, b -> b.clearPlacement());
    assertOneProblem(problem, b -> b.setPlacement(PlacementSpec.newBuilder().setCount(-2)));
    assertOneProblem(problem, b -> b.setPlacement(PlacementSpec.newBuilder().setAll(true).setCount(3)));
    assertEquals(List.of(), problemsOf(b -> b.setPlacement(PlacementSpec.newBuilder().setAll(true))));
  }

  @Test
  void reportsEveryProblemAtOnce() {
    List<String> problems = SpecRules.check(AppSpec.getDefaultInstance());
    assertEquals(
        List.of(
            "name: required",
            "gunicorn.app: required",
            "nginx.domains: at least one domain",
            "health.path: required",
            "placement.count: must be at least 1 or \"all\", got 0",
            "source: bundle digest missing"),
        problems);
  }

  @Test
  void updateBlockNamesItsField() {
    assertOneProblem("update.max_parallel: must be a positive integer",
        s -> s.setUpdate(UpdateSpec.newBuilder().setMaxParallel(-1)));
    assertOneProblem("update.min_healthy: must be a duration",
        s -> s.setUpdate(UpdateSpec.newBuilder().setMinHealthy(com.google.protobuf.Duration.newBuilder().setSeconds(-1))));
    assertOneProblem("update.deadline: must be a duration above 0s",
        s -> s.setUpdate(UpdateSpec.newBuilder().setDeadline(com.google.protobuf.Duration.getDefaultInstance())));
    assertTrue(problemsOf(s -> s.setUpdate(UpdateSpec.newBuilder().setMaxParallel(3)
        .setMinHealthy(com.google.protobuf.Duration.getDefaultInstance()))).isEmpty());
  }

  @Test
  void updateDefaultsApplyToUnsetFields() {
    UpdateSpec unset = UpdateSpec.getDefaultInstance();
    assertEquals(1, SpecRules.maxParallel(unset));
    assertEquals(Duration.ofSeconds(5), SpecRules.minHealthy(unset));
    assertEquals(Duration.ofMinutes(5), SpecRules.deadline(unset));
    assertTrue(SpecRules.autoRevert(unset));
    UpdateSpec set = UpdateSpec.newBuilder().setMaxParallel(3).setAutoRevert(false)
        .setMinHealthy(com.google.protobuf.Duration.newBuilder().setNanos(500_000_000)).build();
    assertEquals(3, SpecRules.maxParallel(set));
    assertEquals(Duration.ofMillis(500), SpecRules.minHealthy(set));
    assertEquals(false, SpecRules.autoRevert(set));
  }
}
