package io.drover.agent.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order in which a deployment's steps run and are taken back. */
class StepRunnerTest {
  private final List<String> events = new ArrayList<>();
  private final StepTimer timer = new StepTimer("app", 1);

  /** Steps 1..n; step {@code failing} throws (0: none does), undo {@code failingUndo} throws (0: none does). */
  private List<Step> steps(int n, int failing, int failingUndo) {
    List<Step> steps = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      int k = i;
      steps.add(Step.of("step-" + k, () -> {
        events.add("run " + k);
        if (k == failing) {
          throw new IllegalStateException("step " + k + " failed");
        }
      }, () -> {
        events.add("undo " + k);
        if (k == failingUndo) {
          throw new IllegalStateException("undo " + k + " failed");
        }
      }));
    }
    return steps;
  }

  @Test
  void aFailureAtStepKRunsTheUndosOfStepsKMinus1DownTo1OnceEach() {
    for (int n = 1; n <= 8; n++) {
      for (int k = 1; k <= n; k++) {
        events.clear();
        List<Step> steps = steps(n, k, 0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> StepRunner.run(steps, timer));
        assertEquals("step " + k + " failed", e.getMessage());
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= k; i++) {
          expected.add("run " + i);
        }
        for (int i = k - 1; i >= 1; i--) {
          expected.add("undo " + i);
        }
        assertEquals(expected, events, n + " steps, step " + k + " failing");
      }
    }
  }

  @Test
  void stepsThatAllSucceedAreNotTakenBack() {
    StepRunner.run(steps(4, 0, 0), timer);
    assertEquals(List.of("run 1", "run 2", "run 3", "run 4"), events);
  }

  @Test
  void anUndoThatFailsIsAttachedToTheFailureAndTheOtherUndosStillRun() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> StepRunner.run(steps(4, 4, 2), timer));
    assertEquals("step 4 failed", e.getMessage());
    assertEquals(List.of("run 1", "run 2", "run 3", "run 4", "undo 3", "undo 2", "undo 1"), events);
    assertEquals(1, e.getSuppressed().length);
    assertEquals("undo 2 failed", e.getSuppressed()[0].getMessage());
  }

  @Test
  void theFailureIsRethrownAsItWas() {
    DeployFailedException failure = new DeployFailedException("nginx -t refused", List.of("line"), false, null);
    List<Step> steps = List.of(Step.of("ok", () -> { }), Step.of("refused", () -> {
      throw failure;
    }));
    assertSame(failure, assertThrows(DeployFailedException.class, () -> StepRunner.run(steps, timer)));
  }
}
