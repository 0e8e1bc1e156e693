package io.drover.server.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.drover.server.store.FleetFigures;
import io.drover.server.store.FleetFigures.HostMark;
import io.drover.server.store.FleetFigures.RolloutMark;
import io.drover.server.store.InstanceSample;
import io.drover.server.store.NotifyEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventDetectorTest {
  private static final Instant T0 = Instant.parse("2026-11-30T04:00:00Z");

  private static FleetFigures figures(Map<String, HostMark> hosts, Map<String, RolloutMark> rollouts,
      List<InstanceSample> samples) {
    return new FleetFigures(hosts, Map.of(), Map.of(), rollouts, samples, Map.of());
  }

  private static InstanceSample restarts(String app, String host, long restarts) {
    return new InstanceSample(app, host, new long[5], 0, new long[12], 0, 0, 0, 1, restarts);
  }

  private static List<String> kinds(List<NotifyEvent> events) {
    return events.stream().map(e -> e.kind() + " " + e.app() + e.host()).toList();
  }

  @Test
  void hostsGoingDownAndComingBackAreEventsOnce() {
    EventDetector detector = new EventDetector();
    HostMark up = new HostMark(true, T0, "s1");
    HostMark down = new HostMark(false, T0.plusSeconds(5), "s1");
    HostMark upAgain = new HostMark(true, T0.plusSeconds(60), "s2");
    assertEquals(List.of(), detector.next(figures(Map.of("web-1", up), Map.of(), List.of()), T0));
    List<NotifyEvent> wentDown = detector.next(figures(Map.of("web-1", down), Map.of(), List.of()), T0.plusSeconds(20));
    assertEquals(List.of("host-down web-1"), kinds(wentDown));
    assertEquals(List.of(), detector.next(figures(Map.of("web-1", down), Map.of(), List.of()), T0.plusSeconds(30)));
    assertEquals(List.of("host-up web-1"),
        kinds(detector.next(figures(Map.of("web-1", upAgain), Map.of(), List.of()), T0.plusSeconds(61))));

    // a new leader sees the host down again: the same key, so recording it keeps one
    detector.reset();
    List<NotifyEvent> again = detector.next(figures(Map.of("web-1", down), Map.of(), List.of()), T0.plusSeconds(40));
    assertEquals(wentDown.getFirst().dedupeKey(), again.getFirst().dedupeKey());
  }

  @Test
  void failedAndRevertedRolloutsAreEventsWhileRecent() {
    EventDetector detector = new EventDetector();
    Map<String, RolloutMark> rollouts = Map.of(
        "shop", new RolloutMark("failed", 4, T0),
        "blog", new RolloutMark("reverted", 9, T0),
        "api", new RolloutMark("succeeded", 2, T0),
        "old", new RolloutMark("failed", 1, T0.minus(Duration.ofDays(2))));
    List<NotifyEvent> events = detector.next(figures(Map.of(), rollouts, List.of()), T0.plusSeconds(30));
    assertEquals(Set.of("rollout-failed shop", "rollout-reverted blog"), new HashSet<>(kinds(events)));
    assertEquals(events, detector.next(figures(Map.of(), rollouts, List.of()), T0.plusSeconds(30)),
        "the same rollout, the same keys");
  }

  @Test
  void threeRestartsWithinTheWindowAreACrashLoop() {
    EventDetector detector = new EventDetector();
    long[] counts = {0, 1, 2, 3, 3}; // read every 4 minutes
    List<List<String>> seen = new java.util.ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      seen.add(kinds(detector.next(figures(Map.of(), Map.of(), List.of(restarts("shop", "web-1", counts[i]))),
          T0.plus(Duration.ofMinutes(4L * i)))));
    }
    assertEquals(List.of(List.of(), List.of(), List.of(), List.of("crash-loop shopweb-1"), List.of()), seen,
        "3 restarts within minutes 0..12; 2 within minutes 4..16");

    EventDetector slow = new EventDetector();
    for (int i = 0; i < 10; i++) { // one restart every 10 minutes: never 3 within 15
      assertEquals(List.of(), slow.next(figures(Map.of(), Map.of(), List.of(restarts("shop", "web-1", i))),
          T0.plus(Duration.ofMinutes(10L * i))));
    }
  }

  @Test
  void anEventIsFoundForEachChangeWhateverTheOrder() {
    Random random = new Random(11);
    for (int round = 0; round < 300; round++) {
      EventDetector detector = new EventDetector();
      boolean up = true;
      int downs = 0;
      int ups = 0;
      Set<String> keys = new HashSet<>();
      Instant lastSeen = T0;
      for (int step = 0; step < 30; step++) {
        boolean next = random.nextBoolean();
        if (next) {
          lastSeen = T0.plusSeconds(step);
        }
        if (up && !next) {
          downs++;
        } else if (!up && next) {
          ups++;
        }
        up = next;
        for (NotifyEvent e : detector.next(figures(Map.of("h", new HostMark(up, lastSeen, "s" + step)), Map.of(),
            List.of()), T0.plusSeconds(step))) {
          keys.add(e.dedupeKey());
        }
      }
      long foundDowns = keys.stream().filter(k -> k.startsWith("host-down")).count();
      long foundUps = keys.stream().filter(k -> k.startsWith("host-up")).count();
      assertEquals(downs, foundDowns, "round " + round);
      assertEquals(ups, foundUps, "round " + round);
    }
  }
}
