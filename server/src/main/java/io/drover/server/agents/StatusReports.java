package io.drover.server.agents;

import io.drover.server.changes.CoalescingWorker;
import io.drover.api.v1.InstanceStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents' status reports on their way to the database: collected from every stream on this
 * server and written in rounds, each round one transaction with one change notice (at most {@link
 * #MAX_BATCH} reports each), instead of a transaction, a notice and a rollout wake-up per report. A
 * round runs as soon as the previous one finished, so a lone report waits for nothing, and a burst
 * (every agent reporting a change at once) costs a few rounds. Reports keep their order. A round that
 * cannot be written is tried again a second later, before newer reports.
 */
final class StatusReports implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatusReports.class);
  /** The most reports one transaction writes. */
  static final int MAX_BATCH = 5_000;
  private static final Duration RETRY = Duration.ofSeconds(1);

  /** One status report of a host's agent. */
  record Report(String host, InstanceStatus status) implements Map.Entry<String, InstanceStatus> {
    @Override
    public String getKey() {
      return host;
    }

    @Override
    public InstanceStatus getValue() {
      return status;
    }

    @Override
    public InstanceStatus setValue(InstanceStatus value) {
      throw new UnsupportedOperationException("a report does not change");
    }
  }

  private final Consumer<List<Report>> writer;
  private final ConcurrentLinkedQueue<Report> queue = new ConcurrentLinkedQueue<>();
  private final CoalescingWorker<Boolean> worker;
  /** A batch that failed, written first next round; touched only on the worker's thread. */
  private List<Report> retry = List.of();

  /** @param writer writes one batch in one transaction ({@code AssignmentStore.reportAll}) */
  StatusReports(Consumer<List<Report>> writer) {
    this.writer = writer;
    this.worker = new CoalescingWorker<>("drover-status", false, (a, b) -> a || b, more -> round());
  }

  void add(Report report) {
    queue.add(report);
    worker.submit(true);
  }

  private void round() {
    while (true) {
      List<Report> batch = new ArrayList<>(retry);
      retry = List.of();
      while (batch.size() < MAX_BATCH) {
        Report next = queue.poll();
        if (next == null) {
          break;
        }
        batch.add(next);
      }
      if (batch.isEmpty()) {
        return;
      }
      try {
        writer.accept(batch);
        log.debug("event=status_reports_written reports={}", batch.size());
      } catch (RuntimeException e) {
        log.warn("event=status_reports_failed reports={} error={}", batch.size(), e.toString());
        retry = batch;
        worker.submitAfter(true, RETRY);
        return;
      }
    }
  }

  @Override
  public void close() {
    worker.close();
  }
}
