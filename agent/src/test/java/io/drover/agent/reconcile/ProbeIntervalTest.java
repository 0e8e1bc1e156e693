package io.drover.agent.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProbeIntervalTest {

  @Test
  void probesOftenWhileAnAnswerIsLikelySoonThenBacksOff() {
    assertEquals(Duration.ofMillis(20), StartChecks.probeInterval(Duration.ZERO));
    assertEquals(Duration.ofMillis(20), StartChecks.probeInterval(Duration.ofMillis(2999)));
    assertEquals(Duration.ofMillis(100), StartChecks.probeInterval(Duration.ofSeconds(3)));
    assertEquals(Duration.ofMillis(250), StartChecks.probeInterval(Duration.ofSeconds(10)));
    assertEquals(Duration.ofMillis(250), StartChecks.probeInterval(Duration.ofSeconds(59)));
  }
}
