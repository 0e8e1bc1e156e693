package io.drover.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DurationTextTest {
  @Test
  void ninetyMinutesIsOneHourThirty() {
    assertEquals("1h30m", DurationText.format(Duration.ofMinutes(90)));
    assertEquals(Duration.ofMinutes(90), DurationText.parse("1h30m"));
    assertEquals(Duration.ofMinutes(90), DurationText.parse("90m"));
  }

  @Test
  void writesWholeUnitsOrMilliseconds() {
    assertEquals("0s", DurationText.format(Duration.ZERO));
    assertEquals("500ms", DurationText.format(Duration.ofMillis(500)));
    assertEquals("1500ms", DurationText.format(Duration.ofMillis(1500)));
    assertEquals("5s", DurationText.format(Duration.ofSeconds(5)));
    assertEquals("2m", DurationText.format(Duration.ofMinutes(2)));
    assertEquals("24h", DurationText.format(Duration.ofHours(24)));
    assertEquals("1h1m1s", DurationText.format(Duration.ofSeconds(3661)));
    assertEquals("8760h", DurationText.format(Duration.ofDays(365)));
    assertEquals("277h46m40s1ms", DurationText.format(Duration.ofMillis(1_000_000_001)));
    assertEquals("-5s", DurationText.format(Duration.ofSeconds(-5)));
  }

  @Test
  void readsOnlyNumbersWithUnits() {
    for (String bad : new String[] {"", "5", "s", "5 s", "-5s", "5d", "1.5h", "1234567890s", "5sx", " 5s"}) {
      assertNull(DurationText.parse(bad), bad);
    }
    assertEquals(Duration.ZERO, DurationText.parse("0ms"));
    assertEquals(Duration.ofMillis(2_500), DurationText.parse("2s500ms"));
  }

  @Test
  void whatIsWrittenReadsBackToTheMillisecond() {
    long seed = Long.getLong("drover.seed", System.nanoTime());
    Random random = new Random(seed);
    for (int i = 0; i < 10_000; i++) {
      long ms = switch (random.nextInt(4)) {
        case 0 -> random.nextInt(1000);
        case 1 -> 1000L * random.nextInt(1_000_000);
        case 2 -> random.nextLong(100_000L * 3_600_000);
        default -> 60_000L * random.nextInt(100_000);
      };
      Duration d = Duration.ofMillis(ms);
      String text = DurationText.format(d);
      assertEquals(d, DurationText.parse(text), "seed " + seed + " (rerun with -Ddrover.seed=" + seed + "): " + text);
      assertEquals(text, DurationText.format(DurationText.parse(text)), "seed " + seed);
    }
  }
}
