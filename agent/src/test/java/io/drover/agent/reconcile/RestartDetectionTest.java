package io.drover.agent.reconcile;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.agent.supervisor.Supervisor.ProgramStatus;
import org.junit.jupiter.api.Test;

class RestartDetectionTest {
  private static ProgramStatus s(String state, long pid) {
    return new ProgramStatus(state, pid);
  }

  @Test
  void startingAndRunningAreNotRestarts() {
    assertFalse(StartChecks.restarted(s("STARTING", 0), s("STARTING", 0)));
    assertFalse(StartChecks.restarted(s("STARTING", 0), s("RUNNING", 10)));
    assertFalse(StartChecks.restarted(s("RUNNING", 10), s("RUNNING", 10)));
    assertFalse(StartChecks.restarted(s("BACKOFF", 0), s("BACKOFF", 0)));
  }

  @Test
  void exitsAndNewPidsAre() {
    assertTrue(StartChecks.restarted(s("RUNNING", 10), s("STARTING", 0)));
    assertTrue(StartChecks.restarted(s("STARTING", 0), s("BACKOFF", 0)));
    assertTrue(StartChecks.restarted(s("RUNNING", 10), s("EXITED", 0)));
    assertTrue(StartChecks.restarted(s("RUNNING", 10), s("RUNNING", 11)));
  }
}
