package io.drover.agent.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.agent.state.RunningInstance;
import io.drover.agent.state.SpecHash;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.Assignment;
import io.drover.api.v1.PlacementSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link Diff} over random hosts: what runs, what failed and what is desired, drawn from a few apps,
 * revisions, greetings (runtime) and counts (placement only). Rerun one case with
 * {@code -Ddrover.seed=N}.
 */
class DiffPropertiesTest {
  private static final List<String> APPS = List.of("api", "blog", "hello", "shop");
  private static final int CASES = 2_000;

  @Test
  void eachAppGetsTheOneActionItsStateCallsFor() {
    forEachCase((random, host) -> {
      List<Action> actions = Diff.plan(host.desired, host.running, host.failed, host.known);
      Map<String, Action> byApp = new HashMap<>();
      for (Action action : actions) {
        assertEquals(null, byApp.put(action.app(), action), host + ": two actions for " + action.app());
      }
      Map<String, Assignment> desired = new TreeMap<>();
      host.desired.forEach(a -> desired.put(a.getApp(), a));
      Set<String> present = new HashSet<>(host.known);
      present.addAll(host.running.keySet());
      for (String app : APPS) {
        Action action = byApp.get(app);
        Assignment want = desired.get(app);
        RunningInstance now = host.running.get(app);
        if (want == null) {
          Action expected = present.contains(app) ? new Action.Remove(app, now) : null;
          assertEquals(expected, action, host + ": " + app + " is not desired");
          continue;
        }
        boolean sameSpec = now != null && now.specHash().equals(SpecHash.of(want.getSpec()));
        Action expected;
        if (sameSpec && now.revision() == want.getRevision()) {
          expected = null;
        } else if (sameSpec) {
          expected = new Action.Adopt(want, now);
        } else if (host.failed.contains(Diff.Attempt.of(want))) {
          expected = null;
        } else {
          expected = new Action.Deploy(want, now);
        }
        assertEquals(expected, action, host + ": " + app);
      }
    });
  }

  @Test
  void removalsComeFirstAndEachGroupIsInAppOrder() {
    forEachCase((random, host) -> {
      List<Action> actions = Diff.plan(host.desired, host.running, host.failed, host.known);
      int firstOther = actions.size();
      for (int i = 0; i < actions.size(); i++) {
        if (!(actions.get(i) instanceof Action.Remove)) {
          firstOther = Math.min(firstOther, i);
        } else {
          assertTrue(i < firstOther, host + ": a removal after another action: " + actions);
        }
      }
      List<String> removals = actions.subList(0, firstOther).stream().map(Action::app).toList();
      List<String> others = actions.subList(firstOther, actions.size()).stream().map(Action::app).toList();
      assertEquals(removals.stream().sorted().toList(), removals, host.toString());
      assertEquals(others.stream().sorted().toList(), others, host.toString());
    });
  }

  /** Carrying out the actions (none failing) leaves nothing to do: the diff converges in one round. */
  @Test
  void doingTheActionsLeavesNothingToDo() {
    forEachCase((random, host) -> {
      Map<String, RunningInstance> running = new HashMap<>(host.running);
      Set<String> known = new HashSet<>(host.known);
      for (Action action : Diff.plan(host.desired, host.running, host.failed, host.known)) {
        switch (action) {
          case Action.Remove r -> {
            running.remove(r.app());
            known.remove(r.app());
          }
          case Action.Adopt a -> running.put(a.app(), a.running().adopting(a.assignment().getRevision()));
          case Action.Deploy d -> {
            running.put(d.app(), instance(d.assignment()));
            known.add(d.app());
          }
        }
      }
      // what failed before stays failed (it is not retried as it is); everything else now runs
      List<Action> again = Diff.plan(host.desired, running, host.failed, known);
      assertEquals(List.of(), again, host + " after its actions");
    });
  }

  private interface Property {
    void check(Random random, Host host);
  }

  private static void forEachCase(Property property) {
    long seed = Long.getLong("drover.seed", System.nanoTime());
    Random random = new Random(seed);
    for (int i = 0; i < CASES; i++) {
      Host host = Host.random(random);
      try {
        property.check(random, host);
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + ", case " + i + ": " + e.getMessage(), e);
      }
    }
  }

  /** One host's state as the diff sees it. */
  private record Host(List<Assignment> desired, Map<String, RunningInstance> running, Set<Diff.Attempt> failed,
      Set<String> known) {
    static Host random(Random random) {
      List<Assignment> desired = new ArrayList<>();
      Map<String, RunningInstance> running = new HashMap<>();
      Set<Diff.Attempt> failed = new HashSet<>();
      Set<String> known = new HashSet<>();
      for (String app : APPS) {
        Assignment want = assignment(random, app);
        if (random.nextBoolean()) {
          desired.add(want);
        }
        if (random.nextInt(3) > 0) {
          // what runs: often the desired spec (maybe under another revision), sometimes another
          Assignment ran = random.nextBoolean() ? want.toBuilder().setRevision(1 + random.nextInt(3)).build()
              : assignment(random, app);
          running.put(app, instance(ran));
          known.add(app);
        }
        if (random.nextInt(4) == 0) {
          failed.add(Diff.Attempt.of(random.nextBoolean() ? want : assignment(random, app)));
        }
        if (random.nextInt(5) == 0) {
          known.add(app); // a trace on the host without a running instance
        }
      }
      return new Host(desired, running, failed, known);
    }
  }

  private static Assignment assignment(Random random, String app) {
    AppSpec spec = AppSpec.newBuilder()
        .setName(app)
        .putEnv("GREETING", "hi-" + random.nextInt(2))
        .setPlacement(PlacementSpec.newBuilder().setCount(1 + random.nextInt(2)))
        .build();
    return Assignment.newBuilder().setApp(app).setRevision(1 + random.nextInt(3)).setSpec(spec).build();
  }

  private static RunningInstance instance(Assignment a) {
    return new RunningInstance(a.getApp(), a.getRevision(), "drover-" + a.getApp() + "-" + a.getRevision(), 9000,
        Path.of("/data/releases", a.getApp(), Long.toString(a.getRevision())), SpecHash.of(a.getSpec()));
  }
}
