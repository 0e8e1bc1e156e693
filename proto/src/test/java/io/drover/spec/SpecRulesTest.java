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
