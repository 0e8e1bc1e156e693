package io.drover.server.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.server.rollout.RolloutPlanner.Decision;
import io.drover.server.rollout.RolloutPlanner.HostReport;
import io.drover.server.rollout.RolloutPlanner.Outcome;
import io.drover.server.rollout.RolloutPlanner.Release;
import io.drover.server.rollout.RolloutPlanner.Step;
import io.drover.server.rollout.RolloutPlanner.StepState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RolloutPlannerTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Release ONE_AT_A_TIME =
      new Release("hello", 2, 1, 1, Duration.ofSeconds(5), Duration.ofMinutes(5), true);

  private static HostReport old(String host) {
    return new HostReport(host, 1, 1, "running", true, "");
  }

  private static HostReport at2(String host, String state, boolean healthy) {
    return new HostReport(host, 2, 2, state, healthy, "");
  }

  private static Step updating(String host, Instant started, Instant healthySince) {
    return new Step(host, StepState.UPDATING, started, healthySince, "");
  }

  @Test
  void startsWithTheFirstHostByNameWhenOneAtATime() {
    Decision d = RolloutPlanner.plan(ONE_AT_A_TIME, Map.of(), List.of(old("web-2"), old("web-1"), old("web-3")), T0);
    assertEquals(List.of("web-1"), d.assign());
    assertEquals(StepState.UPDATING, d.steps().get("web-1").state());
    assertEquals(Outcome.CONTINUE, d.outcome());
    assertEquals(Optional.of(T0.plus(Duration.ofMinutes(5))), d.wakeAt());
  }

  @Test
  void startsUpToMaxParallelHosts() {
    Release three = new Release("hello", 2, 1, 3, Duration.ZERO, Duration.ofMinutes(5), true);
    Decision d = RolloutPlanner.plan(three, Map.of(),
        List.of(old("a"), old("b"), old("c"), old("d")), T0);
    assertEquals(List.of("a", "b", "c"), d.assign());
  }

  @Test
  void waitsMinHealthyBeforeTheNextHost() {
    Map<String, Step> steps = Map.of("web-1", updating("web-1", T0, null));
    List<HostReport> hosts = List.of(at2("web-1", "running", true), old("web-2"));
    Decision healthy = RolloutPlanner.plan(ONE_AT_A_TIME, steps, hosts, T0.plusSeconds(2));
    assertTrue(healthy.assign().isEmpty());
    assertEquals(T0.plusSeconds(2), healthy.steps().get("web-1").healthySince());
    assertEquals(Optional.of(T0.plusSeconds(7)), healthy.wakeAt());

    Map<String, Step> soaking = Map.of("web-1", healthy.steps().get("web-1"));
    Decision early = RolloutPlanner.plan(ONE_AT_A_TIME, soaking, hosts, T0.plusSeconds(6));
    assertFalse(early.changes());

    Decision next = RolloutPlanner.plan(ONE_AT_A_TIME, soaking, hosts, T0.plusSeconds(7));
    assertEquals(StepState.DONE, next.steps().get("web-1").state());
    assertEquals(List.of("web-2"), next.assign());
  }

  @Test
  void healthLostDuringMinHealthyStartsTheWaitAgain() {
    Map<String, Step> steps = Map.of("web-1", updating("web-1", T0, T0.plusSeconds(1)));
    Decision d = RolloutPlanner.plan(ONE_AT_A_TIME, steps, List.of(at2("web-1", "running", false), old("web-2")),
        T0.plusSeconds(3));
    assertEquals(null, d.steps().get("web-1").healthySince());
    assertTrue(d.assign().isEmpty());
  }

  @Test
  void aFailedReportStopsAndRevertsTheRollout() {
    Map<String, Step> steps = Map.of("web-1", updating("web-1", T0, null));
    HostReport failed = new HostReport("web-1", 2, 2, "failed", false, "health check failed: 500");
    Decision d = RolloutPlanner.plan(ONE_AT_A_TIME, steps, List.of(failed, old("web-2")), T0.plusSeconds(3));
    assertEquals(Outcome.REVERTED, d.outcome());
    assertEquals("web-1: health check failed: 500", d.reason());
    assertEquals(StepState.FAILED, d.steps().get("web-1").state());
    assertTrue(d.assign().isEmpty());
  }

  @Test
  void withoutAutoRevertOrAGoodRevisionTheRolloutJustFails() {
    HostReport failed = new HostReport("web-1", 2, 2, "failed", false, "");
    Map<String, Step> steps = Map.of("web-1", updating("web-1", T0, null));
    Release noRevert = new Release("hello", 2, 1, 1, Duration.ZERO, Duration.ofMinutes(5), false);
    assertEquals(Outcome.FAILED, RolloutPlanner.plan(noRevert, steps, List.of(failed), T0).outcome());
    Release first = new Release("hello", 2, 0, 1, Duration.ZERO, Duration.ofMinutes(5), true);
    assertEquals(Outcome.FAILED, RolloutPlanner.plan(first, steps, List.of(failed), T0).outcome());
  }

  @Test
  void aHostNotHealthyByTheDeadlineFails() {
    Map<String, Step> steps = Map.of("web-1", updating("web-1", T0, null));
    List<HostReport> hosts = List.of(at2("web-1", "starting", false));
    assertEquals(Outcome.CONTINUE, RolloutPlanner.plan(ONE_AT_A_TIME, steps, hosts, T0.plusSeconds(299)).outcome());
    Decision late = RolloutPlanner.plan(ONE_AT_A_TIME, steps, hosts, T0.plusSeconds(300));
    assertEquals(Outcome.REVERTED, late.outcome());
    assertEquals("web-1: not running and healthy 5m after its update started", late.reason());
  }

  @Test
  void anOldFailureOfTheLastRevisionDoesNotCount() {
    Map<String, Step> steps = Map.of("web-1", updating("web-1", T0, null));
    HostReport oldFailure = new HostReport("web-1", 2, 1, "failed", false, "old");
    assertEquals(Outcome.CONTINUE, RolloutPlanner.plan(ONE_AT_A_TIME, steps, List.of(oldFailure), T0).outcome());
  }

  @Test
  void succeedsWhenEveryHostIsDone() {
    Map<String, Step> steps = Map.of(
        "web-1", new Step("web-1", StepState.DONE, T0, T0, ""),
        "web-2", updating("web-2", T0, T0));
    Decision d = RolloutPlanner.plan(ONE_AT_A_TIME, steps,
        List.of(at2("web-1", "running", true), at2("web-2", "running", true)), T0.plusSeconds(5));
    assertEquals(Outcome.SUCCEEDED, d.outcome());
    assertEquals(Optional.empty(), d.wakeAt());
  }

  @Test
  void hostsPlacedDirectlyAtTheRevisionAreHealthGatedToo() {
    Release first = new Release("hello", 1, 0, 1, Duration.ZERO, Duration.ofMinutes(5), true);
    HostReport fresh = new HostReport("web-1", 1, 0, "pending", false, "");
    Decision d = RolloutPlanner.plan(first, Map.of(), List.of(fresh), T0);
    assertEquals(Outcome.CONTINUE, d.outcome());
    assertTrue(d.assign().isEmpty());
    assertEquals(StepState.UPDATING, d.steps().get("web-1").state());
  }

  @Test
  void aHostNeverGetsTheRevisionTwice() {
    // web-1 had its step (it failed before, then someone moved it back): it is not started again.
    Map<String, Step> steps = Map.of("web-1", new Step("web-1", StepState.DONE, T0, T0, ""));
    Decision d = RolloutPlanner.plan(ONE_AT_A_TIME, steps, List.of(old("web-1"), old("web-2")), T0);
    assertEquals(List.of("web-2"), d.assign());
  }
}
