package io.drover.agent.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesUpToTheCapWithTheTopOfTheJitterRange() {
    Backoff backoff = Backoff.standard(() -> 0.999999999);
    long[] expected = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000};
    for (long millis : expected) {
      assertEquals(millis, Math.round(backoff.nextDelay().toNanos() / 1e6), "delay");
    }
  }

  @Test
  void jitterDrawsFromTheUpperHalf() {
    Backoff low = Backoff.standard(() -> 0.0);
    assertEquals(Duration.ofMillis(250), low.nextDelay());
    assertEquals(Duration.ofMillis(500), low.nextDelay());
    Backoff mid = Backoff.standard(() -> 0.5);
    assertEquals(Duration.ofMillis(375), mid.nextDelay());
  }

  @Test
  void resetStartsOverAfterAWelcome() {
    Backoff backoff = Backoff.standard(() -> 0.0);
    backoff.nextDelay();
    backoff.nextDelay();
    backoff.nextDelay();
    backoff.reset();
    assertEquals(Duration.ofMillis(250), backoff.nextDelay());
  }

  @Test
  void aDelayAtTheCapLeavesTheNextDelayAlone() {
    Backoff backoff = Backoff.standard(() -> 0.0);
    assertEquals(Duration.ofSeconds(15), backoff.atCap());
    assertEquals(Duration.ofMillis(250), backoff.nextDelay());
  }

  @Test
  void refusesACapBelowTheStart() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0));
  }
}
