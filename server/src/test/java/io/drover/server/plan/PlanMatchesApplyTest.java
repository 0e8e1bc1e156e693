package io.drover.server.plan;

import static io.drover.server.store.db.Tables.ASSIGNMENT;
import static io.drover.server.store.db.Tables.ROLLOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.drover.api.v1.AppSpec;
import io.drover.api.v1.GunicornSpec;
import io.drover.api.v1.Hello;
import io.drover.api.v1.InstanceState;
import io.drover.api.v1.InstanceStatus;
import io.drover.api.v1.PlacementSpec;
import io.drover.api.v1.UpdateSpec;
import io.drover.server.store.AppStore.Applied;
import io.drover.server.store.Database;
import io.drover.server.store.Fence;
import io.drover.server.store.Store;
import io.drover.testing.MutableClock;
import io.drover.testing.TestDatabase;
import io.drover.spec.SpecFields;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drover plan} against what apply then does, on random fleets in PostgreSQL: hosts with
 * labels that go down, get lost, drained, undrained, relabelled or join; apps with {@code count} or
 * {@code all} and label selectors, changed in what runs, in placement only, or not at all. Each case
 * settles the fleet (fake agents report every instance healthy, rollouts advance, drained hosts hand
 * over), plans a spec, applies it through the real store, settles again, and checks both ways that
 * every host did what the plan announced and nothing else changed. The fake agents answer for every
 * host, even one the fleet counts as down: the test is about what the server decides, not liveness.
 * Each case is reproducible from the seed its failure prints.
 */
class PlanMatchesApplyTest {
  private static final long SEED = 20_251_124L;
  private static final int CASES = 40;
  private static final Duration TTL = Duration.ofSeconds(10);
  private static final Duration GRACE = Duration.ofSeconds(30);
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final List<Map<String, String>> SELECTORS = List.of(Map.of("role", "web"), Map.of("role", "web"),
      Map.of(), Map.of(), Map.of("role", "web", "zone", "a"), Map.of("role", "db"));

  @TempDir Path dir;
  private TestDatabase testDb;
  private Database db;
  private final MutableClock clock = new MutableClock(T0);
  private Store store;

  /** One case's fleet: which hosts exist, which the test took down, what labels each has. */
  private final Map<String, Map<String, String>> hosts = new TreeMap<>();
  private final Set<String> down = new TreeSet<>();
  private final Set<String> drained = new TreeSet<>();
  private final Map<String, AppSpec> apps = new TreeMap<>();

  @BeforeEach
  void open() {
    testDb = TestDatabase.create();
    db = Database.open(testDb.url(), new SimpleMeterRegistry());
    store = Store.over(db, clock, TTL, GRACE, dir);
  }

  @AfterEach
  void close() {
    db.close();
    testDb.close();
  }

  @Test
  void applyDoesWhatThePlanAnnouncedAndNothingElse() {
    for (int i = 0; i < CASES; i++) {
      long seed = SEED + i;
      List<String> story = new ArrayList<>();
      try {
        runCase(new Random(seed), story);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("case with seed " + seed + " failed: " + e.getMessage() + "\n  "
            + String.join("\n  ", story), e);
      }
    }
  }

  private void runCase(Random random, List<String> story) {
    reset();
    for (int h = 1, n = 3 + random.nextInt(3); h <= n; h++) {
      join("h" + h, labels(random), story);
    }
    for (int a = 1, n = 1 + random.nextInt(3); a <= n; a++) {
      apply(spec("app" + a, random), story);
    }
    settle();
    for (int c = 0, n = 1 + random.nextInt(4); c < n; c++) {
      change(random, story);
      settle();
    }

    String app = random.nextInt(4) == 0 ? "app9" : "app" + (1 + random.nextInt(apps.size()));
    List<String> onDrained = db.dsl().selectDistinct(ASSIGNMENT.APP).from(ASSIGNMENT)
        .where(ASSIGNMENT.DESIRED.isTrue(), ASSIGNMENT.HOST.in(drained)).fetch(ASSIGNMENT.APP);
    if (!onDrained.isEmpty() && random.nextBoolean()) {
      // an app a drained host still holds: what a plan shows for it is the interesting part
      app = onDrained.get(random.nextInt(onDrained.size()));
    }
    AppSpec spec = target(random, app);
    Map<String, Map<String, Long>> before = running();
    AppPlan plan = AppPlanner.plan(store.apps().planSnapshot(spec));
    story.add("plan " + describe(spec) + ": " + plan.hosts());
    Applied applied = apply(spec, story);
    settle();
    Map<String, Map<String, Long>> after = running();

    assertEquals(plan.changed(), applied.changed(), "the plan says whether a revision is stored");
    assertEquals(plan.revision(), applied.revision(), "the plan names the revision");
    Map<String, String> announced = new TreeMap<>();
    plan.hosts().forEach(h -> announced.put(h.host(), h.action().label()));
    assertEquals(announced, observed(app, before.getOrDefault(app, Map.of()), after.getOrDefault(app, Map.of())),
        "what each host did, after " + before + " -> " + after);
    Map<String, Map<String, Long>> othersBefore = new TreeMap<>(before);
    Map<String, Map<String, Long>> othersAfter = new TreeMap<>(after);
    othersBefore.remove(app);
    othersAfter.remove(app);
    assertEquals(othersBefore, othersAfter, "the other apps are untouched");
  }

  /** What each host of {@code app} did between two settled states: start, remove, keep or replace. */
  private Map<String, String> observed(String app, Map<String, Long> before, Map<String, Long> after) {
    Map<String, String> did = new TreeMap<>();
    Set<String> all = new TreeSet<>(before.keySet());
    all.addAll(after.keySet());
    for (String host : all) {
      Long was = before.get(host);
      Long is = after.get(host);
      if (was == null) {
        did.put(host, "start");
      } else if (is == null) {
        did.put(host, "remove");
      } else if (was.equals(is) || SpecFields.runtime(spec(app, was)).equals(SpecFields.runtime(spec(app, is)))) {
        did.put(host, "keep");
      } else {
        did.put(host, "replace");
      }
    }
    return did;
  }

  private void change(Random random, List<String> story) {
    List<String> names = List.copyOf(hosts.keySet());
    String host = names.get(random.nextInt(names.size()));
    switch (random.nextInt(9)) {
      case 0, 1, 2 -> {
        store.drains().setDrained(host, true);
        drained.add(host);
        story.add("drain " + host);
      }
      case 3 -> {
        store.drains().setDrained(host, false);
        drained.remove(host);
        story.add("undrain " + host);
      }
      case 4 -> {
        store.hosts().markDown(host, session(host));
        down.add(host);
        story.add("down " + host);
      }
      case 5 -> {
        store.hosts().markDown(host, session(host));
        down.add(host);
        clock.advance(TTL.plus(GRACE).plusSeconds(1));
        heartbeats();
        store.hosts().sweep(Fence.NONE, T0);
        story.add("lost " + host + " (and every host down before)");
      }
      case 6 -> join(host, labels(random), story);
      case 7 -> join("h" + (hosts.size() + 1), labels(random), story);
      default -> {
        String app = List.copyOf(apps.keySet()).get(random.nextInt(apps.size()));
        if (random.nextBoolean()) {
          store.apps().delete(app);
          story.add("delete " + app);
        } else {
          apply(target(random, app), story);
        }
      }
    }
  }

  /** Lets the fleet come to rest: rollouts advance, agents report, drained hosts hand over. */
  private void settle() {
    for (int round = 0; round < 100; round++) {
      String before = dump();
      for (String app : store.rollouts().running()) {
        store.rollouts().advance(app, Fence.NONE);
      }
      for (var row : db.dsl().selectFrom(ASSIGNMENT).fetch()) {
        if (!row.getDesired()) {
          store.assignments().report(row.getHost(), InstanceStatus.newBuilder().setApp(row.getApp())
              .setState(InstanceState.INSTANCE_STATE_REMOVED).build());
        } else if (row.getReportedRevision() != row.getRevision() || !row.getHealthy()
            || !"running".equals(row.getState())) {
          store.assignments().report(row.getHost(), InstanceStatus.newBuilder().setApp(row.getApp())
              .setRevision(row.getRevision()).setState(InstanceState.INSTANCE_STATE_RUNNING).setHealthy(true).build());
        }
      }
      store.drains().handOver(Fence.NONE, null);
      if (dump().equals(before)) {
        return;
      }
    }
    throw new AssertionError("the fleet does not settle: " + dump());
  }

  private String dump() {
    return db.dsl().selectFrom(ASSIGNMENT).orderBy(ASSIGNMENT.APP, ASSIGNMENT.HOST).fetch()
        .map(r -> r.getApp() + "@" + r.getHost() + ":" + r.getRevision() + "/" + r.getReportedRevision() + "/"
            + r.getDesired() + "/" + r.getState() + "/" + r.getHealthy())
        + db.dsl().select(ROLLOUT.APP, ROLLOUT.REVISION, ROLLOUT.STATE).from(ROLLOUT)
            .orderBy(ROLLOUT.APP, ROLLOUT.REVISION).fetch().toString();
  }

  /** The revision each app's agents run, by app and host, counting desired rows only. */
  private Map<String, Map<String, Long>> running() {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    db.dsl().selectFrom(ASSIGNMENT).where(ASSIGNMENT.DESIRED.isTrue()).fetch()
        .forEach(r -> out.computeIfAbsent(r.getApp(), a -> new TreeMap<>()).put(r.getHost(), r.getReportedRevision()));
    return out;
  }

  private Applied apply(AppSpec spec, List<String> story) {
    Applied applied = store.apps().apply(spec, "test");
    apps.put(spec.getName(), spec);
    story.add("apply " + describe(spec) + " -> r" + applied.revision() + (applied.changed() ? "" : " (unchanged)"));
    return applied;
  }

  private void join(String host, Map<String, String> labels, List<String> story) {
    store.hosts().register(Hello.newBuilder().setHost(host).putAllLabels(labels).build(), session(host));
    hosts.put(host, labels);
    down.remove(host);
    story.add("hello " + host + " " + labels);
  }

  /** Heartbeats of every host the test did not take down. */
  private void heartbeats() {
    Map<String, String> up = new TreeMap<>();
    hosts.keySet().stream().filter(h -> !down.contains(h)).forEach(h -> up.put(h, session(h)));
    store.hosts().touch(up);
  }

  private void reset() {
    db.dsl().execute("TRUNCATE rollout_step, rollout, assignment, revision, app, host CASCADE");
    hosts.clear();
    down.clear();
    drained.clear();
    apps.clear();
  }

  /** The app's spec changed in what runs, in placement or update policy only, in both, or not at all. */
  private AppSpec target(Random random, String app) {
    AppSpec current = apps.get(app);
    if (current == null) {
      return spec(app, random);
    }
    AppSpec fresh = spec(app, random);
    return switch (random.nextInt(5)) {
      case 0 -> current;
      case 1 -> current.toBuilder().putEnv("GREETING", flip(current)).build();
      case 2 -> current.toBuilder().setPlacement(fresh.getPlacement()).build();
      case 3 -> current.toBuilder().setUpdate(fresh.getUpdate()).build();
      default -> current.toBuilder().putEnv("GREETING", flip(current)).setPlacement(fresh.getPlacement()).build();
    };
  }

  private static String flip(AppSpec spec) {
    return spec.getEnvMap().get("GREETING").equals("hello") ? "hi" : "hello";
  }

  private static AppSpec spec(String name, Random random) {
    PlacementSpec.Builder placement = PlacementSpec.newBuilder()
        .putAllLabels(SELECTORS.get(random.nextInt(SELECTORS.size())));
    if (random.nextInt(3) == 0) {
      placement.setAll(true);
    } else {
      placement.setCount(1 + random.nextInt(3) + random.nextInt(2));
    }
    return AppSpec.newBuilder()
        .setName(name)
        .setBundleSha256("a".repeat(64))
        .setGunicorn(GunicornSpec.newBuilder().setApp("app:app"))
        .putEnv("GREETING", random.nextBoolean() ? "hello" : "hi")
        .setPlacement(placement)
        .setUpdate(UpdateSpec.newBuilder().setMaxParallel(1 + random.nextInt(2))
            .setMinHealthy(com.google.protobuf.Duration.getDefaultInstance()))
        .build();
  }

  private static Map<String, String> labels(Random random) {
    Map<String, String> labels = new TreeMap<>();
    labels.put("role", random.nextInt(4) == 0 ? "db" : "web");
    if (random.nextBoolean()) {
      labels.put("zone", random.nextBoolean() ? "a" : "b");
    }
    return labels;
  }

  private AppSpec spec(String app, long revision) {
    return store.apps().spec(app, revision).orElseThrow();
  }

  private static String session(String host) {
    return "session-" + host;
  }

  private static String describe(AppSpec spec) {
    PlacementSpec p = spec.getPlacement();
    return spec.getName() + " {" + spec.getEnvMap().get("GREETING") + ", " + (p.getAll() ? "all" : p.getCount())
        + " of " + p.getLabelsMap() + ", max_parallel " + spec.getUpdate().getMaxParallel() + "}";
  }
}
