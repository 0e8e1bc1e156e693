package io.drover.agent.health;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProbeStateTest {
  @Test
  void turnsUnhealthyOnlyAfterThreeFailuresAndBackAfterOneSuccess() {
    ProbeState s = ProbeState.healthyNow().record(false).record(false);
    assertTrue(s.healthy());
    s = s.record(false);
    assertFalse(s.healthy());
    s = s.record(false);
    assertFalse(s.healthy());
    assertTrue(s.record(true).healthy());
  }

  @Test
  void aSuccessResetsTheFailureCount() {
    ProbeState s = ProbeState.healthyNow().record(false).record(false).record(true).record(false).record(false);
    assertTrue(s.healthy());
  }
}
