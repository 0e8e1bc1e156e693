package io.drover.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a bounded timeout; never a fixed sleep. */
public final class Await {
  private Await() {}

  /** Polls {@code condition} until it holds or {@code timeout} passes, then fails with {@code what}. */
  public static void until(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pauseMillis = 5;
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("timed out after " + timeout + " waiting for " + what, e);
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
      pauseMillis = Math.min(200, pauseMillis * 2);
    }
  }

  /** Polls {@code value} until it is non-null, and returns it. */
  public static <T> T value(Duration timeout, String what, Supplier<T> value) {
    Object[] box = new Object[1];
    until(timeout, what, () -> (box[0] = value.get()) != null);
    @SuppressWarnings("unchecked")
    T t = (T) box[0];
    return t;
  }
}
