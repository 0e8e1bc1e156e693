package io.drover.server.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CoalescingWorkerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> both = new TreeSet<>(a);
    both.addAll(b);
    return both;
  }

  @Test
  void workSubmittedWhileARoundRunsIsMergedIntoOneNextRound() throws Exception {
    List<Set<String>> rounds = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (CoalescingWorker<Set<String>> worker = new CoalescingWorker<>("test-worker", Set.of(),
        CoalescingWorkerTest::union, work -> {
          threads.add(Thread.currentThread().getName());
          rounds.add(work);
          if (rounds.size() == 1) {
            firstStarted.countDown();
            await(release);
          }
        })) {
      worker.submit(Set.of("a"));
      assertTrue(firstStarted.await(10, TimeUnit.SECONDS), "the first round started");
      worker.submit(Set.of("b"));
      worker.submit(Set.of("c"));
      worker.submit(Set.of("b"));
      release.countDown();
      Await.until(WAIT, "a second round, rounds so far: " + rounds, () -> rounds.size() == 2);
      assertEquals(List.of(Set.of("a"), Set.of("b", "c")), rounds);
      assertEquals(List.of("test-worker", "test-worker"), threads);
    }
  }

  @Test
  void aRoundThatFailsDoesNotStopTheWorker() {
    List<String> done = new CopyOnWriteArrayList<>();
    try (CoalescingWorker<Set<String>> worker = new CoalescingWorker<>("test-worker", Set.of(),
        CoalescingWorkerTest::union, work -> {
          done.addAll(work);
          if (work.contains("boom")) {
            throw new IllegalStateException("a round failed");
          }
        })) {
      worker.submit(Set.of("boom"));
      Await.until(WAIT, "the failing round ran", () -> done.contains("boom"));
      worker.submit(Set.of("fine"));
      Await.until(WAIT, "the next round ran", () -> done.contains("fine"));
    }
  }

  @Test
  void workSubmittedForLaterRunsOnTheSameWorker() {
    List<Set<String>> rounds = new CopyOnWriteArrayList<>();
    try (CoalescingWorker<Set<String>> worker = new CoalescingWorker<>("test-worker", Set.of(),
        CoalescingWorkerTest::union, rounds::add)) {
      worker.submitAfter(Set.of("later"), Duration.ofMillis(20));
      Await.until(WAIT, "the timer's round", () -> rounds.contains(Set.of("later")));
    }
  }

  @Test
  void afterCloseNothingRunsAndSubmittingIsHarmless() {
    List<Set<String>> rounds = new CopyOnWriteArrayList<>();
    CoalescingWorker<Set<String>> worker = new CoalescingWorker<>("test-worker", Set.of(),
        CoalescingWorkerTest::union, rounds::add);
    worker.submitAfter(Set.of("timer"), Duration.ofHours(1));
    worker.close();
    worker.submit(Set.of("late"));
    worker.submitAfter(Set.of("later"), Duration.ZERO);
    assertEquals(List.of(), rounds, "the worker's thread has ended: nothing ran, nothing waits");
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("not released within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
