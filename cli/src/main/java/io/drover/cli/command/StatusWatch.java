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

/**
 * Follows a stream the server pushes (an app's status, a rollout, a drain) until an observer is
 * satisfied or a timeout passes. A stream the server ends is opened again; one that is cut (UNAVAILABLE:
 * the server restarts, the network drops; or CANCELLED by the server or a proxy, as a server stopping
 * at once does) is opened again after a growing pause, all within the timeout; any other failure
 * (INTERNAL, INVALID_ARGUMENT, PERMISSION_DENIED, ...) ends the watch at once.
 */
final class StatusWatch {
  private StatusWatch() {}

  /** The pause before opening a stream the server ended, and the first after UNAVAILABLE. */
  static final Duration FIRST_PAUSE = Duration.ofMillis(500);
  /** The longest pause between attempts while the server is unavailable. */
  static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);

  /**
   * How a watch ended.
   *
   * @param done the observer was satisfied (else the timeout passed)
   * @param unavailable why the server could not be reached when time ran out, or null
   */
  record Outcome(boolean done, String unavailable) {
    /** For a timeout message: {@code ; the server was unavailable at the end: ...}, or nothing. */
    String note() {
      return unavailable == null ? "" : "; the server was unavailable at the end: " + unavailable;
    }
  }

  /** Feeds every status of {@code app} to {@code done}; see {@link #follow(OperatorConnection, Duration, Function, Predicate)}. */
  static Outcome follow(OperatorConnection connection, String app, Duration timeout, Predicate<AppStatus> done) {
    GetAppStatusRequest request = GetAppStatusRequest.newBuilder().setApp(app).build();
    return follow(connection, timeout, left -> connection.streaming(left).watchAppStatus(request), done);
  }

  /**
   * Feeds every message of the streams {@code open} opens (given the time left) to {@code done}
   * until it returns true or {@code timeout} passes.
   *
   * @throws StatusRuntimeException when a stream fails with a status other than UNAVAILABLE
   */
  static <T> Outcome follow(OperatorConnection connection, Duration timeout, Function<Duration, Iterator<T>> open,
      Predicate<T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Duration pause = FIRST_PAUSE;
    String unavailable = null;
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return new Outcome(false, unavailable);
      }
      try (Context.CancellableContext call = Context.current().withCancellation()) {
        Context previous = call.attach();
        try {
          Iterator<T> messages = open.apply(Duration.ofNanos(left));
          while (messages.hasNext()) {
            T message = messages.next();
            unavailable = null;
            pause = FIRST_PAUSE;
            if (done.test(message)) {
              return new Outcome(true, null);
            }
          }
        } catch (StatusRuntimeException e) {
          Status.Code code = e.getStatus().getCode();
          if (code == Status.Code.DEADLINE_EXCEEDED) {
            return new Outcome(false, unavailable);
          }
          boolean cut = code == Status.Code.UNAVAILABLE || (code == Status.Code.CANCELLED && !call.isCancelled());
          if (!cut) {
            throw e;
          }
          unavailable = code == Status.Code.CANCELLED
              ? "the server at " + connection.address() + " cancelled the stream"
              : e.getStatus().getDescription();
        } finally {
          call.detach(previous);
        }
      }
      pauseUntilNextAttempt(deadline, unavailable == null ? FIRST_PAUSE : pause);
      if (unavailable != null) {
        pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        connection.reconnectNow();
      }
    }
  }

  private static void pauseUntilNextAttempt(long deadline, Duration pause) {
    long nanos = Math.min(pause.toNanos(), deadline - System.nanoTime());
    if (nanos <= 0) {
      return;
    }
    try {
      Thread.sleep(Duration.ofNanos(nanos));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailure("interrupted while waiting", e);
    }
  }
}
