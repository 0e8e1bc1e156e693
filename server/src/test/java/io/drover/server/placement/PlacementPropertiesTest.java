package io.drover.server.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.api.v1.AppSpec;
import io.drover.api.v1.PlacementSpec;
import io.drover.server.placement.AppRows.Row;
import io.drover.server.placement.Placement.Candidate;
import io.drover.server.placement.PlacementDecision.AppPlacement;
import io.drover.server.placement.PlacementDecision.Hold;
import io.drover.server.placement.PlacementDecision.Write;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link PlacementDecider} on random fleets and apps: where instances may go, how many, and that an
 * unrelated change moves nothing. Each case is reproducible from the seed its failure prints.
 */
class PlacementPropertiesTest {
  private static final long SEED = 20_251_124L;
  private static final int CASES = 400;
  private static final List<Map<String, String>> SELECTORS =
      List.of(Map.of(), Map.of("role", "web"), Map.of("role", "db"), Map.of("role", "web", "zone", "a"));

  /** A fleet and the apps on it, with every app's rows. */
  private record World(List<Candidate> hosts, Map<String, AppRows> apps) {
    FleetSlice slice() {
      Map<String, Integer> load = new HashMap<>();
      apps.values().forEach(a -> a.rows().stream().filter(Row::desired).forEach(r -> load.merge(r.host(), 1, Integer::sum)));
      return new FleetSlice(hosts, load);
    }

    World withHost(Candidate host) {
      List<Candidate> more = new ArrayList<>(hosts);
      more.add(host);
      return new World(more, apps);
    }

    World withApp(AppRows app) {
      Map<String, AppRows> more = new TreeMap<>(apps);
      more.put(app.app(), app);
      return new World(hosts, more);
    }
  }

  @Test
  void instancesGoOnlyWhereTheyMayAndAsManyAsAsked() {
    forEachCase(random -> {
      World world = world(random);
      PlacementDecision decision = PlacementDecider.decide(world.slice(), List.copyOf(world.apps().values()));
      for (AppPlacement placed : decision.apps()) {
        AppRows app = world.apps().get(placed.app());
        Set<String> current = desired(app);
        List<Candidate> eligible = app.deleted() ? List.of() : world.hosts().stream()
            .filter(h -> !h.drained() && Placement.matches(selector(app), h.labels()))
            .filter(h -> all(app) || h.up() || current.contains(h.name()) && !h.lost())
            .toList();
        Set<String> eligibleNames = eligible.stream().map(Candidate::name).collect(Collectors.toSet());
        assertTrue(eligibleNames.containsAll(placed.chosen()),
            placed.app() + " chose " + placed.chosen() + ", may use only " + eligibleNames);
        assertEquals(placed.chosen().size(), Set.copyOf(placed.chosen()).size(), "each host once");
        if (!app.deleted() && !all(app)) {
          int count = app.spec().getPlacement().getCount();
          assertTrue(placed.chosen().size() <= count, placed.app() + " chose more than " + count);
          long upMatching = eligible.stream().filter(Candidate::up).count();
          if (upMatching >= count) {
            assertEquals(count, placed.chosen().size(), placed.app() + " has " + upMatching + " up hosts for " + count);
          }
        }
        if (app.deleted() || all(app)) {
          assertEquals(List.of(), placed.holds(), "only a count app is held on a drained host");
        }
        for (Write w : placed.writes()) {
          if (w instanceof Write.Undesire) {
            assertTrue(current.contains(w.host()) && !placed.chosen().contains(w.host()), "undesired " + w);
          } else {
            assertTrue(placed.chosen().contains(w.host()), "a row for a host not chosen: " + w);
          }
        }
        for (Hold h : placed.holds()) {
          Candidate host = host(world, h.host());
          assertTrue(host.drained() && !host.lost() && current.contains(h.host()) && !placed.chosen().contains(h.host()),
              "held " + h + " on " + host);
        }
        Set<String> after = after(app, placed).rows().stream().filter(Row::desired).map(Row::host)
            .collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>(placed.chosen());
        placed.holds().forEach(h -> expected.add(h.host()));
        assertEquals(expected, after, placed.app() + ": desired after = chosen + held");
      }
    });
  }

  @Test
  void anUnrelatedChangeMovesNothing() {
    forEachCase(random -> {
      World settled = settle(world(random));
      for (AppRows app : settled.apps().values()) {
        if (app.deleted()) {
          continue;
        }
        if (!selector(app).isEmpty()) {
          Candidate stranger = new Candidate("zz-new", Map.of("role", "other"), true);
          assertEquals(List.of(), writes(settled.withHost(stranger), app.app()),
              app.app() + ": a new host its selector does not match");
        }

        AppRows other = app(random, "zz-other", settled.hosts(), false);
        World withOther = settled.withApp(other);
        withOther = apply(withOther, PlacementDecider.decide(withOther.slice(), List.of(other)));
        assertEquals(List.of(), writes(withOther, app.app()), app.app() + ": another app placed beside it");

        if (all(app)) {
          Map<String, String> labels = new TreeMap<>(selector(app));
          Candidate joining = new Candidate("zz-join", labels, true);
          assertEquals(List.of(new Write.Insert("zz-join")), writes(settled.withHost(joining), app.app()),
              app.app() + ": a matching host joins an all app, nothing else moves");
        }
      }
    });
  }

  @Test
  void aJoiningHostIsPlacedFromItselfAsTheWholeFleetWouldPlaceIt() {
    forEachCase(random -> {
      World world = random.nextBoolean() ? settle(world(random)) : world(random);
      // a new host, or one of the fleet coming back with other labels (or drained, or not)
      Candidate joining;
      World before;
      Map<String, String> labels = new TreeMap<>(Map.of("role", random.nextInt(3) == 0 ? "db" : "web"));
      if (random.nextBoolean()) {
        labels.put("zone", random.nextBoolean() ? "a" : "b");
      }
      if (random.nextBoolean()) {
        joining = new Candidate("zz-join", labels, true, false, random.nextInt(6) == 0);
        before = world;
      } else {
        Candidate old = world.hosts().get(random.nextInt(world.hosts().size()));
        joining = new Candidate(old.name(), labels, true, false, random.nextInt(6) == 0);
        before = world;
        world = new World(world.hosts().stream().filter(h -> h != old).toList(), world.apps());
      }
      World after = world.withHost(joining);
      List<AppRows> live = after.apps().values().stream().filter(a -> !a.deleted()).toList();

      HostJoin.Decision join = HostJoin.decide(joining, live, after.hosts());
      Map<String, AppPlacement> joined = join.placed().apps().stream()
          .collect(Collectors.toMap(AppPlacement::app, p -> p));
      for (AppRows app : live) {
        AppPlacement full = PlacementDecider.decide(after.slice(), List.of(app)).apps().getFirst();
        AppPlacement without = PlacementDecider.decide(before.slice(), List.of(app)).apps().getFirst();
        if (all(app)) {
          assertEquals(full.writes().stream().filter(w -> w.host().equals(joining.name())).toList(),
              joined.get(app.app()).writes(), app.app() + ": the joining host's writes");
          assertEquals(without.writes().stream().filter(w -> !w.host().equals(joining.name())).toList(),
              full.writes().stream().filter(w -> !w.host().equals(joining.name())).toList(),
              app.app() + ": nothing else moves for an all app");
        } else if (!join.placeAgain().contains(app.app())) {
          assertEquals(without, full, app.app() + ": a count app left alone is one the join does not change");
        }
      }
    });
  }

  /** Places until nothing changes, every instance reporting healthy in between. */
  private static World settle(World world) {
    for (int round = 0; round < 4; round++) {
      PlacementDecision decision = PlacementDecider.decide(world.slice(), List.copyOf(world.apps().values()));
      if (decision.changedHosts().isEmpty()) {
        return world;
      }
      world = healthy(apply(world, decision));
    }
    throw new AssertionError("placement does not settle: " + world);
  }

  private static List<Write> writes(World world, String app) {
    return PlacementDecider.decide(world.slice(), List.of(world.apps().get(app))).apps().getFirst().writes();
  }

  private static World apply(World world, PlacementDecision decision) {
    Map<String, AppRows> apps = new TreeMap<>(world.apps());
    decision.apps().forEach(p -> apps.put(p.app(), after(apps.get(p.app()), p)));
    return new World(world.hosts(), apps);
  }

  private static AppRows after(AppRows app, AppPlacement placed) {
    Map<String, Row> rows = new TreeMap<>();
    app.rows().forEach(r -> rows.put(r.host(), r));
    for (Write w : placed.writes()) {
      Row row = rows.get(w.host());
      rows.put(w.host(), switch (w) {
        case Write.Insert i -> new Row(i.host(), placed.revision(), true, 0, "pending", false);
        case Write.Desire d -> d.atRevision()
            ? new Row(d.host(), placed.revision(), true, row.reportedRevision(), "pending", false)
            : new Row(d.host(), row.revision(), true, row.reportedRevision(), row.state(), row.healthy());
        case Write.Undesire u -> new Row(u.host(), row.revision(), false, row.reportedRevision(), row.state(),
            row.healthy());
      });
    }
    return new AppRows(app.app(), app.deleted(), app.revision(), app.spec(), List.copyOf(rows.values()));
  }

  private static World healthy(World world) {
    Map<String, AppRows> apps = new TreeMap<>();
    world.apps().forEach((name, a) -> apps.put(name, new AppRows(name, a.deleted(), a.revision(), a.spec(),
        a.rows().stream().filter(Row::desired)
            .map(r -> new Row(r.host(), r.revision(), true, r.revision(), "running", true)).toList())));
    return new World(world.hosts(), apps);
  }

  private static World world(Random random) {
    List<Candidate> hosts = new ArrayList<>();
    int n = 1 + random.nextInt(8);
    for (int i = 0; i < n; i++) {
      Map<String, String> labels = new TreeMap<>();
      labels.put("role", random.nextInt(4) == 0 ? "db" : "web");
      if (random.nextBoolean()) {
        labels.put("zone", random.nextBoolean() ? "a" : "b");
      }
      boolean up = random.nextInt(10) < 7;
      hosts.add(new Candidate("h" + i, labels, up, !up && random.nextBoolean(), random.nextInt(6) == 0));
    }
    Map<String, AppRows> apps = new TreeMap<>();
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      AppRows app = app(random, "app" + i, hosts, random.nextInt(8) == 0);
      apps.put(app.app(), app);
    }
    return new World(hosts, apps);
  }

  private static AppRows app(Random random, String name, List<Candidate> hosts, boolean deleted) {
    PlacementSpec.Builder placement = PlacementSpec.newBuilder()
        .putAllLabels(SELECTORS.get(random.nextInt(SELECTORS.size())));
    if (random.nextInt(3) == 0) {
      placement.setAll(true);
    } else {
      placement.setCount(random.nextInt(5));
    }
    AppSpec spec = AppSpec.newBuilder().setName(name).setPlacement(placement).build();
    List<Row> rows = new ArrayList<>();
    for (Candidate h : hosts) {
      if (random.nextInt(3) == 0) {
        long revision = 1 + random.nextInt(2);
        long reported = random.nextInt(4) == 0 ? 0 : revision;
        boolean running = reported > 0 && random.nextInt(3) > 0;
        rows.add(new Row(h.name(), revision, random.nextInt(5) > 0, reported, running ? "running" : "starting",
            running));
      }
    }
    return new AppRows(name, deleted, 2, deleted ? null : spec, rows);
  }

  private static Set<String> desired(AppRows app) {
    return app.rows().stream().filter(Row::desired).map(Row::host).collect(Collectors.toSet());
  }

  private static boolean all(AppRows app) {
    return !app.deleted() && app.spec().getPlacement().getAll();
  }

  private static Map<String, String> selector(AppRows app) {
    return app.spec().getPlacement().getLabelsMap();
  }

  private static Candidate host(World world, String name) {
    return world.hosts().stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow();
  }

  private static void forEachCase(Consumer<Random> check) {
    for (int i = 0; i < CASES; i++) {
      long seed = SEED + i;
      try {
        check.accept(new Random(seed));
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("case with seed " + seed + " failed: " + e.getMessage(), e);
      }
    }
  }
}
