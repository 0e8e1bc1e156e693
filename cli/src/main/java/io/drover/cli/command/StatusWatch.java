package io.drover.cli.command;

import io.drover.api.v1.AppStatus;
import io.drover.api.v1.GetAppStatusRequest;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.Predicate;

/** Follows an app's status stream until an observer is satisfied or a timeout passes. */
final class StatusWatch {
  private StatusWatch() {}

  /** How long to wait before opening a stream the server ended. */
  private static final Duration REOPEN_PAUSE = Duration.ofMillis(500);

  /**
   * Feeds every status of {@code app} to {@code done} until it returns true (then returns true) or
   * {@code timeout} passes (then returns false). A stream the server ends early is opened again.
   */
  static boolean follow(OperatorConnection connection, String app, Duration timeout, Predicate<AppStatus> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    GetAppStatusRequest request = GetAppStatusRequest.newBuilder().setApp(app).build();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try (Context.CancellableContext call = Context.current().withCancellation()) {
        Context previous = call.attach();
        try {
          Iterator<AppStatus> statuses = connection.streaming(Duration.ofNanos(left)).watchAppStatus(request);
          while (statuses.hasNext()) {
            if (done.test(statuses.next())) {
              return true;
            }
          }
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED) {
            throw e;
          }
          return false;
        } finally {
          call.detach(previous);
        }
      }
      pauseBeforeReopening(deadline);
    }
  }

  private static void pauseBeforeReopening(long deadline) {
    long pause = Math.min(REOPEN_PAUSE.toNanos(), deadline - System.nanoTime());
    if (pause <= 0) {
      return;
    }
    try {
      Thread.sleep(Duration.ofNanos(pause));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailure("interrupted while waiting for the status of the app", e);
    }
  }
}
