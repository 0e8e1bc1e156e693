package io.drover.cli.command;

import io.drover.api.v1.AppStatus;
import io.drover.api.v1.GetAppStatusRequest;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.Function;
import java.util.function.Predicate;

/** Follows an app's status (or rollout) stream until an observer is satisfied or a timeout passes. */
final class StatusWatch {
  private StatusWatch() {}

  /** How long to wait before opening a stream the server ended. */
  private static final Duration REOPEN_PAUSE = Duration.ofMillis(500);

  /**
   * Feeds every status of {@code app} to {@code done} until it returns true (then returns true) or
   * {@code timeout} passes (then returns false). A stream the server ends early is opened again.
   */
  static boolean follow(OperatorConnection connection, String app, Duration timeout, Predicate<AppStatus> done) {
    GetAppStatusRequest request = GetAppStatusRequest.newBuilder().setApp(app).build();
    return follow(timeout, left -> connection.streaming(left).watchAppStatus(request), done);
  }

  /**
   * Feeds every message of the streams {@code open} opens (given the time left) to {@code done}
   * until it returns true (then returns true) or {@code timeout} passes (then returns false). A
   * stream the server ends early is opened again.
   */
  static <T> boolean follow(Duration timeout, Function<Duration, Iterator<T>> open, Predicate<T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try (Context.CancellableContext call = Context.current().withCancellation()) {
        Context previous = call.attach();
        try {
          Iterator<T> messages = open.apply(Duration.ofNanos(left));
          while (messages.hasNext()) {
            if (done.test(messages.next())) {
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
