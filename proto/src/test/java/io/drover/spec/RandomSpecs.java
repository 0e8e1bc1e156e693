package io.drover.spec;

import com.google.protobuf.Duration;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.GunicornSpec;
import io.drover.api.v1.HealthSpec;
import io.drover.api.v1.NginxSpec;
import io.drover.api.v1.PlacementSpec;
import io.drover.api.v1.UpdateSpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random valid app specs, every field used, with values built to trip a YAML writer (strings that
 * read as numbers, booleans or null, quotes, {@code #}, {@code : }, spaces at the ends, tabs,
 * non-ASCII), and specs that differ from one another in one field. Seeded, so a failure repeats with
 * the seed it prints: set {@code -Ddrover.seed=N} to rerun one.
 */
public final class RandomSpecs {
  private static final List<String> TRICKY = List.of(
      "", " ", "1", "0", "-5", "007", "0.50", "0.5", "1e3", "0x1F", "+1", "1_000", ".5", "true", "False", "no", "yes",
      "on", "off", "y", "n", "null", "~", "NULL", ".inf", ".nan", "8000", "12345678901234567890", "-0", "2001-12-14",
      "a: b", "a #b", "#x", "- x", "? x", "[a, b]", "{x: 1}", "*alias", "&anchor", "!tag", "%x", "@x", "`x`", "|", ">",
      "'", "\"", "\\", "a\tb", "\t", " lead", "trail ", "ü", "漢字", "\uD83D\uDE00", "(secret)", "${HOME}", "%(here)s",
      "a\"b'c; } # $host");
  private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
  private static final String DIGITS = "0123456789";
  private static final String WORD = LOWER + LOWER.toUpperCase() + DIGITS + "_";

  private final long seed;
  private final Random random;

  private RandomSpecs(long seed) {
    this.seed = seed;
    this.random = new Random(seed);
  }

  /** A generator seeded from {@code -Ddrover.seed}, else from the clock. */
  public static RandomSpecs seeded() {
    String fixed = System.getProperty("drover.seed");
    return new RandomSpecs(fixed != null ? Long.parseLong(fixed) : System.nanoTime());
  }

  /** How to rerun a failing case, for assertion messages. */
  public String rerun() {
    return "seed " + seed + " (rerun with -Ddrover.seed=" + seed + ")";
  }

  /** A random spec that {@link SpecRules#check} accepts. */
  public AppSpec valid() {
    AppSpec.Builder spec = AppSpec.newBuilder()
        .setName(pick(LOWER, 1) + pick(LOWER + DIGITS + "-", random.nextInt(40)))
        .setBundleSha256(digest())
        .setGunicorn(GunicornSpec.newBuilder().setApp(wsgiTarget()).setWorkers(random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(256)))
        .setNginx(domains())
        .setHealth(HealthSpec.newBuilder().setPath("/" + pick(WORD + ".~/-", random.nextInt(20))))
        .setPlacement(placement());
    Set<String> names = new LinkedHashSet<>();
    for (int i = random.nextInt(6); i > 0; i--) {
      String name = envName();
      if (names.add(name)) {
        spec.putEnv(name, value());
      }
    }
    for (int i = random.nextInt(4); i > 0; i--) {
      String name = envName();
      if (names.add(name)) {
        spec.putSecrets(name, value());
      }
    }
    if (random.nextInt(3) > 0) {
      spec.setUpdate(update());
    }
    if (random.nextBoolean()) {
      spec.setUser(user());
    }
    if (random.nextBoolean()) {
      gunicornSettings(spec.getGunicornBuilder());
    }
    if (random.nextBoolean()) {
      nginxSettings(spec.getNginxBuilder());
    }
    if (random.nextBoolean()) {
      healthSettings(spec.getHealthBuilder());
    }
    if (random.nextBoolean()) {
      spec.setPython(pick(List.of("/usr/bin/python3", "/usr/bin/python3.11", "/opt/py/bin/python3")));
    }
    if (random.nextBoolean()) {
      spec.getBuildBuilder().setCommand(pick(List.of("python manage.py collectstatic --noinput", "make\nmake install",
          "echo 'a \"b\" #c' > x; true", "  npm ci ", "1", "true")));
    }
    for (int i = random.nextInt(3); i > 0; i--) {
      spec.putProcesses(pick(List.of("worker", "beat", "q-1", "a")), io.drover.api.v1.ProcessSpec.newBuilder()
          .setCommand("run " + value().replace("\n", " ")).setPerHost(random.nextInt(4)).build());
    }
    AppSpec built = spec.build();
    List<String> problems = SpecRules.check(built);
    if (!problems.isEmpty()) {
      throw new IllegalStateException(rerun() + ": the generator made an invalid spec: " + problems + "\n" + built);
    }
    return built;
  }

  /**
   * A valid spec equal to {@code spec} but for one field or mapping (sometimes none): a value
   * changed, an entry added or removed, a mapping such as {@code update} added or removed, or the
   * same maps built in another order.
   */
  public AppSpec variant(AppSpec spec) {
    AppSpec other = valid();
    AppSpec.Builder b = spec.toBuilder();
    switch (random.nextInt(23)) {
      case 22 -> b.clearProcesses().putAllProcesses(other.getProcessesMap());
      case 21 -> {
        if (spec.hasBuild()) {
          b.clearBuild();
        } else {
          b.getBuildBuilder().setCommand("echo " + value());
        }
      }
      case 17 -> gunicornSettings(b.getGunicornBuilder());
      case 18 -> nginxSettings(b.getNginxBuilder().clearStatic());
      case 19 -> healthSettings(b.getHealthBuilder());
      case 20 -> b.setPython(random.nextBoolean() ? "" : "/usr/bin/python3." + random.nextInt(20));
      case 0 -> b.setName(other.getName());
      case 1 -> b.setBundleSha256(other.getBundleSha256());
      case 2 -> b.getGunicornBuilder().setApp(other.getGunicorn().getApp());
      case 3 -> b.getGunicornBuilder().setWorkers(other.getGunicorn().getWorkers());
      case 4 -> b.setNginx(other.getNginx());
      case 5 -> b.setHealth(other.getHealth());
      case 6 -> b.clearEnv().putAllEnv(other.getEnvMap()).putAllEnv(reversed(spec.getEnvMap()));
      case 7 -> b.clearSecrets().putAllSecrets(reversed(spec.getSecretsMap())); // same map, other order
      case 8 -> {
        if (spec.getSecretsCount() > 0) {
          String name = spec.getSecretsMap().keySet().iterator().next();
          b.putSecrets(name, spec.getSecretsMap().get(name) + "x");
        }
      }
      case 9 -> b.getPlacementBuilder().clearLabels().putAllLabels(other.getPlacement().getLabelsMap());
      case 10 -> {
        PlacementSpec p = other.getPlacement();
        b.getPlacementBuilder().setAll(p.getAll()).setCount(p.getCount());
      }
      case 11 -> b.getUpdateBuilder().setMaxParallel(other.getUpdate().getMaxParallel());
      case 12 -> b.getUpdateBuilder().setMinHealthy(millis(random.nextInt(86_400_001)));
      case 13 -> b.getUpdateBuilder().setDeadline(millis(1 + random.nextInt(86_400_000)));
      case 14 -> {
        if (random.nextBoolean()) {
          b.getUpdateBuilder().clearAutoRevert();
        } else {
          b.getUpdateBuilder().setAutoRevert(random.nextBoolean());
        }
      }
      case 15 -> {
        if (spec.hasUpdate()) {
          b.clearUpdate();
        } else {
          b.setUpdate(UpdateSpec.getDefaultInstance());
        }
      }
      default -> b.setUser(random.nextBoolean() ? "" : user());
    }
    AppSpec built = b.build();
    if (!SpecRules.check(built).isEmpty()) {
      return spec; // e.g. an env name now also a secret: no variant this time
    }
    return built;
  }

  private void gunicornSettings(GunicornSpec.Builder g) {
    if (random.nextBoolean()) {
      g.setTimeout(millis(1000L * (1 + random.nextInt(600))));
    }
    if (random.nextBoolean()) {
      g.setGracefulTimeout(millis(1000L * (1 + random.nextInt(600))));
    }
    if (random.nextBoolean()) {
      g.setWorkerClass(pick(SpecRules.WORKER_CLASSES));
    }
    if (random.nextBoolean()) {
      g.setThreads(1 + random.nextInt(SpecRules.MAX_THREADS));
    }
    if (random.nextBoolean()) {
      g.setMaxRequests(1 + random.nextInt(100_000));
    }
  }

  private void nginxSettings(NginxSpec.Builder n) {
    for (int i = random.nextInt(3); i > 0; i--) {
      n.putStatic("/" + pick(LOWER + DIGITS, 1 + random.nextInt(8)) + "/", pick(List.of("static/", "public", "0", "a/b/", "007")));
    }
    if (random.nextBoolean()) {
      n.setClientMaxBodySize(pick(List.of("0", "20m", "512k", "1g", "100", "1M")));
    }
  }

  private void healthSettings(HealthSpec.Builder h) {
    if (random.nextBoolean()) {
      h.setInterval(millis(1000L * (1 + random.nextInt(3600))));
    }
    if (random.nextBoolean()) {
      h.setTimeout(millis(100 + random.nextInt(59_901)));
    }
    if (random.nextBoolean()) {
      h.setFailures(1 + random.nextInt(100));
    }
    if (random.nextBoolean()) {
      h.setStartTimeout(millis(1000 + random.nextInt(3_599_001)));
    }
  }

  private NginxSpec domains() {
    Set<String> domains = new LinkedHashSet<>();
    for (int i = 1 + random.nextInt(4); i > 0; i--) {
      StringBuilder d = new StringBuilder(random.nextInt(6) == 0 ? "*." : "");
      for (int label = 1 + random.nextInt(3); label > 0; label--) {
        d.append(random.nextInt(4) == 0 ? pick(DIGITS, 1 + random.nextInt(4)) : pick(LOWER + DIGITS, 1 + random.nextInt(10)));
        if (label > 1) {
          d.append('.');
        }
      }
      domains.add(d.toString());
    }
    NginxSpec.Builder nginx = NginxSpec.newBuilder().addAllDomains(domains);
    if (random.nextInt(3) == 0 && domains.stream().noneMatch(d -> d.startsWith("*."))) {
      nginx.setTls(io.drover.api.v1.TlsSpec.newBuilder().setAcme(true)).setHsts(random.nextBoolean());
    }
    for (int i = random.nextInt(3); i > 0; i--) {
      nginx.addBehindProxy(random.nextBoolean() ? random.nextInt(224) + "." + random.nextInt(256) + ".0.0/" + (8 + random.nextInt(25))
          : "2001:db8:" + Integer.toHexString(random.nextInt(65536)) + "::/48");
    }
    return nginx.build();
  }

  private PlacementSpec placement() {
    PlacementSpec.Builder p = PlacementSpec.newBuilder();
    for (int i = random.nextInt(4); i > 0; i--) {
      p.putLabels(label(), random.nextInt(4) == 0 ? pick(List.of("1", "true", "no", "0.5", "y")) : label());
    }
    return random.nextInt(4) == 0 ? p.setAll(true).build() : p.setCount(1 + random.nextInt(50)).build();
  }

  private UpdateSpec update() {
    UpdateSpec.Builder u = UpdateSpec.newBuilder();
    if (random.nextBoolean()) {
      u.setMaxParallel(1 + random.nextInt(10));
    }
    if (random.nextBoolean()) {
      u.setMinHealthy(millis(random.nextBoolean() ? random.nextInt(86_400_001) : 1000L * random.nextInt(86_401)));
    }
    if (random.nextBoolean()) {
      u.setDeadline(millis(1 + (random.nextBoolean() ? random.nextInt(86_400_000) : 60_000L * random.nextInt(1440))));
    }
    if (random.nextBoolean()) {
      u.setAutoRevert(random.nextBoolean());
    }
    return u.build();
  }

  private static Duration millis(long ms) {
    return Duration.newBuilder().setSeconds(ms / 1000).setNanos((int) (ms % 1000) * 1_000_000).build();
  }

  private String wsgiTarget() {
    StringBuilder t = new StringBuilder(identifier());
    for (int i = random.nextInt(3); i > 0; i--) {
      t.append('.').append(identifier());
    }
    return t.append(':').append(identifier()).toString();
  }

  private String identifier() {
    return pick(LOWER + "_", 1) + pick(WORD, random.nextInt(8));
  }

  private String envName() {
    return pick(LOWER.toUpperCase() + "_", 1) + pick(WORD, random.nextInt(10));
  }

  private String label() {
    String edge = LOWER + LOWER.toUpperCase() + DIGITS;
    return random.nextBoolean() ? pick(edge, 1) : pick(edge, 1) + pick(edge + "._-", random.nextInt(10)) + pick(edge, 1);
  }

  private String user() {
    String user = random.nextInt(4) == 0
        ? pick(List.of("no", "y", "null", "true", "off", "www-data", "_app"))
        : pick(LOWER + "_", 1) + pick(LOWER + DIGITS + "_-", random.nextInt(20));
    return user.equals("root") ? "app" : user;
  }

  /** An env or secret value: tricky pieces and plain text run together. */
  private String value() {
    StringBuilder b = new StringBuilder();
    for (int i = 1 + random.nextInt(3); i > 0; i--) {
      b.append(random.nextBoolean() ? pick(TRICKY) : pick(WORD + " ", random.nextInt(8)));
    }
    return b.toString();
  }

  private String digest() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private String pick(String alphabet, int length) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  private String pick(List<String> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static Map<String, String> reversed(Map<String, String> map) {
    List<Map.Entry<String, String>> entries = new ArrayList<>(map.entrySet());
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = entries.size() - 1; i >= 0; i--) {
      out.put(entries.get(i).getKey(), entries.get(i).getValue());
    }
    return out;
  }
}
