package io.drover.agent.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.drover.agent.state.RunningInstance;
import io.drover.agent.state.SpecHash;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.Assignment;
import io.drover.api.v1.PlacementSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DiffTest {

  private static Assignment assignment(String app, long revision, String greeting) {
    return Assignment.newBuilder().setApp(app).setRevision(revision)
        .setSpec(AppSpec.newBuilder().setName(app).putEnv("GREETING", greeting)).build();
  }

  private static RunningInstance running(Assignment a) {
    return new RunningInstance(a.getApp(), a.getRevision(), "drover-" + a.getApp() + "-" + a.getRevision(), 9000,
        Path.of("/data/releases", a.getApp(), Long.toString(a.getRevision())), SpecHash.of(a.getSpec()));
  }

  @Test
  void nothingToDoWhenTheRevisionAndSpecRunAlready() {
    Assignment a = assignment("hello", 2, "hi");
    assertEquals(List.of(), Diff.plan(List.of(a), Map.of("hello", running(a)), Set.of(), Set.of("hello")));
  }

  @Test
  void placementChangesDoNotCountAsASpecChange() {
    Assignment a = assignment("hello", 2, "hi");
    Assignment moved = a.toBuilder().setSpec(a.getSpec().toBuilder().setPlacement(PlacementSpec.newBuilder().setCount(3))).build();
    assertEquals(List.of(), Diff.plan(List.of(moved), Map.of("hello", running(a)), Set.of(), Set.of()));
  }

  @Test
  void aNewRevisionThatOnlyMovesThePlacementIsAdoptedWithoutADeployment() {
    Assignment r2 = assignment("hello", 2, "hi");
    Assignment r3 = assignment("hello", 3, "hi").toBuilder()
        .setSpec(r2.getSpec().toBuilder().setPlacement(PlacementSpec.newBuilder().setAll(true))).build();
    assertEquals(List.of(new Action.Adopt(r3, running(r2))),
        Diff.plan(List.of(r3), Map.of("hello", running(r2)), Set.of(), Set.of("hello")));

    RunningInstance adopted = running(r2).adopting(3);
    assertEquals(3, adopted.revision());
    assertEquals(2, adopted.startedAs());
    assertEquals("drover-hello-2", adopted.program());
    assertEquals(List.of(), Diff.plan(List.of(r3), Map.of("hello", adopted), Set.of(), Set.of("hello")));
  }

  @Test
  void anAdoptedInstanceIsReplacedLikeAnyOtherWhenTheSpecChanges() {
    RunningInstance adopted = running(assignment("hello", 2, "hi")).adopting(3);
    Assignment r4 = assignment("hello", 4, "changed");
    assertEquals(List.of(new Action.Deploy(r4, adopted)),
        Diff.plan(List.of(r4), Map.of("hello", adopted), Set.of(), Set.of("hello")));
  }

  @Test
  void aRollbackToTheRunningSpecIsAdoptedEvenAfterAFailedAttempt() {
    Assignment r2 = assignment("hello", 2, "hi");
    Assignment broken = assignment("hello", 3, "broken");
    Assignment back = assignment("hello", 4, "hi");
    assertEquals(List.of(new Action.Adopt(back, running(r2))),
        Diff.plan(List.of(back), Map.of("hello", running(r2)), Set.of(Diff.Attempt.of(broken)), Set.of("hello")));
  }

  @Test
  void deploysANewAppWithNothingBefore() {
    Assignment a = assignment("hello", 1, "hi");
    assertEquals(List.of(new Action.Deploy(a, null)), Diff.plan(List.of(a), Map.of(), Set.of(), Set.of()));
  }

  @Test
  void deploysANewRevisionBesideTheRunningOne() {
    Assignment old = assignment("hello", 1, "hi");
    Assignment next = assignment("hello", 2, "hello");
    assertEquals(List.of(new Action.Deploy(next, running(old))),
        Diff.plan(List.of(next), Map.of("hello", running(old)), Set.of(), Set.of("hello")));
  }

  @Test
  void redeploysTheSameRevisionWhenItsSpecChanged() {
    Assignment old = assignment("hello", 1, "hi");
    Assignment changed = assignment("hello", 1, "changed");
    assertEquals(List.of(new Action.Deploy(changed, running(old))),
        Diff.plan(List.of(changed), Map.of("hello", running(old)), Set.of(), Set.of()));
  }

  @Test
  void doesNotRetryAFailedAttemptUntilItChanges() {
    Assignment old = assignment("hello", 1, "hi");
    Assignment broken = assignment("hello", 2, "broken");
    Set<Diff.Attempt> failed = Set.of(Diff.Attempt.of(broken));
    assertEquals(List.of(), Diff.plan(List.of(broken), Map.of("hello", running(old)), failed, Set.of("hello")));
    Assignment fixed = assignment("hello", 3, "fixed");
    assertEquals(List.of(new Action.Deploy(fixed, running(old))),
        Diff.plan(List.of(fixed), Map.of("hello", running(old)), failed, Set.of("hello")));
  }

  @Test
  void removesAppsNoLongerDesiredFirstIncludingOnesThatOnlyFailed() {
    Assignment gone = assignment("gone", 4, "x");
    Assignment fresh = assignment("fresh", 1, "y");
    List<Action> plan = Diff.plan(List.of(fresh), Map.of("gone", running(gone)), Set.of(), Set.of("gone", "failed-only"));
    assertEquals(List.of(
        new Action.Remove("failed-only", null),
        new Action.Remove("gone", running(gone)),
        new Action.Deploy(fresh, null)), plan);
  }

  @Test
  void anEmptyDesiredSetRemovesEverything() {
    Assignment a = assignment("a", 1, "x");
    Assignment b = assignment("b", 1, "x");
    assertEquals(List.of(new Action.Remove("a", running(a)), new Action.Remove("b", running(b))),
        Diff.plan(List.of(), Map.of("a", running(a), "b", running(b)), Set.of(), Set.of()));
  }
}
