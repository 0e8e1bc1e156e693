package io.drover.server.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.server.rollout.RolloutPlanner.HostReport;
import io.drover.server.rollout.RolloutPlanner.Release;
import io.drover.server.rollout.RolloutPlanner.Step;
import io.drover.server.rollout.RolloutPlanner.StepState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Rollouts advanced by {@link RolloutDecider} over random fleets whose agents answer at random
 * (healthy, failed, or not yet), with time passing: never more than {@code max_parallel} hosts
 * updating, no host moved or stepped twice for one revision, and a failure with auto_revert brings
 * every host back to the good revision. Each case is reproducible from the seed its failure prints.
 */
class RolloutPropertiesTest {
  private static final long SEED = 20_251_124L;
  private static final int CASES = 300;
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final long OLD = 1;
  private static final long NEW = 2;

  /** One host as the rollout sees it, and what its agent will do with the new revision. */
  private static final class Host {
    final String name;
    long assigned = OLD;
    long reported = OLD;
    String state = "running";
    boolean healthy = true;

    Host(String name) {
      this.name = name;
    }

    HostReport report() {
      return new HostReport(name, assigned, reported, state, healthy, state.equals("failed") ? "it broke" : "");
    }
  }

  @Test
  void aRolloutKeepsItsBoundsAndRevertsEveryHostOnFailure() {
    for (int i = 0; i < CASES; i++) {
      long seed = SEED + i;
      try {
        runCase(new Random(seed));
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("case with seed " + seed + " failed: " + e.getMessage(), e);
      }
    }
  }

  private static void runCase(Random random) {
    Release release = new Release("hello", NEW, OLD, 1 + random.nextInt(3), Duration.ofSeconds(random.nextInt(10)),
        Duration.ofSeconds(30 + random.nextInt(90)), random.nextBoolean());
    boolean failures = random.nextInt(3) == 0;
    Map<String, Host> hosts = new TreeMap<>();
    for (int h = 0, n = 1 + random.nextInt(6); h < n; h++) {
      hosts.put("web-" + h, new Host("web-" + h));
    }
    Map<String, Step> steps = new TreeMap<>();
    Set<String> moved = new HashSet<>();
    Instant now = T0;
    RolloutDecision decision = null;
    for (int round = 0; round < 500; round++) {
      decision = RolloutDecider.advance(new RolloutSnapshot(release, false, NEW, steps,
          hosts.values().stream().map(Host::report).toList()), now);
      for (Step s : decision.newSteps()) {
        assertFalse(steps.containsKey(s.host()), s.host() + " got a second step for revision " + NEW);
      }
      for (String host : decision.move()) {
        assertTrue(moved.add(host), host + " moved to revision " + NEW + " twice");
      }
      decision.newSteps().forEach(s -> steps.put(s.host(), s));
      decision.changedSteps().forEach(s -> steps.put(s.host(), s));
      decision.move().forEach(h -> {
        Host host = hosts.get(h);
        host.assigned = NEW;
        host.state = "pending";
        host.healthy = false;
      });
      for (String h : decision.revert()) {
        hosts.get(h).assigned = decision.revertTo();
      }
      long updating = steps.values().stream().filter(s -> s.state() == StepState.UPDATING).count();
      assertTrue(updating <= release.maxParallel(), updating + " hosts updating, max_parallel " + release.maxParallel());
      if (decision.finished()) {
        break;
      }
      agentsAnswer(random, hosts, failures);
      now = now.plusSeconds(random.nextInt(20));
    }
    assertTrue(decision.finished(), "the rollout ends: " + decision);
    switch (decision.state()) {
      case SUCCEEDED -> {
        assertTrue(decision.good());
        hosts.values().forEach(h -> assertEquals(NEW, h.assigned, h.name + " on the new revision"));
        steps.values().forEach(s -> assertEquals(StepState.DONE, s.state(), s.host() + " done"));
        assertEquals(hosts.keySet(), steps.keySet(), "one step per host");
      }
      case REVERTED -> {
        assertTrue(release.autoRevert(), "reverted only with auto_revert");
        assertEquals(OLD, decision.revertTo());
        hosts.values().forEach(h -> assertEquals(OLD, h.assigned, h.name + " back on the good revision"));
        assertFalse(decision.reason().isEmpty(), "a revert names why");
      }
      case FAILED -> {
        assertFalse(release.autoRevert(), "a failure with auto_revert and a good revision reverts");
        assertFalse(decision.reason().isEmpty(), "a failure names why");
      }
      default -> throw new AssertionError("a rollout alone ends succeeded, failed or reverted, not " + decision.state());
    }
  }

  /** Each agent on the new revision that has not answered yet: healthy, failed, or later. */
  private static void agentsAnswer(Random random, Map<String, Host> hosts, boolean failures) {
    List<Host> waiting = new ArrayList<>();
    hosts.values().stream().filter(h -> h.assigned == NEW && !h.healthy && !h.state.equals("failed"))
        .forEach(waiting::add);
    for (Host host : waiting) {
      int dice = random.nextInt(10);
      if (failures && dice == 0) {
        host.reported = NEW;
        host.state = "failed";
      } else if (dice < 7) {
        host.reported = NEW;
        host.state = "running";
        host.healthy = true;
      }
    }
  }
}
