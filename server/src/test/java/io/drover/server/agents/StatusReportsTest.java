package io.drover.server.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.api.v1.InstanceState;
import io.drover.api.v1.InstanceStatus;
import io.drover.server.agents.StatusReports.Report;
import io.drover.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A burst of status reports is written in a few transactions, in order, and none is lost to a failure. */
class StatusReportsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static Report report(int i) {
    return new Report("web-" + i, InstanceStatus.newBuilder().setApp("hello").setRevision(1)
        .setState(InstanceState.INSTANCE_STATE_RUNNING).setHealthy(true).build());
  }

  @Test
  void tenThousandReportsArriveInAFewTransactionsInOrder() throws Exception {
    List<List<Report>> batches = new CopyOnWriteArrayList<>();
    CountDownLatch firstWriteHeld = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (StatusReports reports = new StatusReports(batch -> {
      firstWriteHeld.countDown();
      try {
        assertTrue(release.await(10, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      batches.add(List.copyOf(batch));
    })) {
      List<Report> sent = new ArrayList<>();
      sent.add(report(0));
      reports.add(sent.get(0));
      assertTrue(firstWriteHeld.await(10, TimeUnit.SECONDS));
      // the whole fleet reports while the first transaction is still open
      for (int i = 1; i < 10_000; i++) {
        sent.add(report(i));
        reports.add(sent.get(i));
      }
      release.countDown();
      Await.until(WAIT, "every report written",
          () -> batches.stream().mapToInt(List::size).sum() == sent.size());
      assertEquals(sent, batches.stream().flatMap(List::stream).toList(), "in the order they came");
      assertTrue(batches.size() <= 1 + (int) Math.ceil(9_999.0 / StatusReports.MAX_BATCH),
          "transactions: " + batches.stream().map(List::size).toList());
    }
  }

  @Test
  void aBatchThatCannotBeWrittenIsWrittenLaterBeforeNewerReports() {
    List<Report> written = new CopyOnWriteArrayList<>();
    AtomicBoolean outage = new AtomicBoolean(true);
    try (StatusReports reports = new StatusReports(batch -> {
      if (outage.get()) {
        throw new IllegalStateException("the database is unreachable");
      }
      written.addAll(batch);
    })) {
      reports.add(report(1));
      reports.add(report(2));
      outage.set(false);
      reports.add(report(3));
      Await.until(WAIT, "all three written", () -> written.size() == 3);
      assertEquals(List.of(report(1), report(2), report(3)), written);
    }
  }
}
