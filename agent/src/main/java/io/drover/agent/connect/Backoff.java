package io.drover.agent.connect;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before the next attempt to reach the server: exponential from {@code initial}
 * doubling to {@code max}, each delay drawn uniformly from [delay/2, delay] (jitter, so that a
 * fleet of agents does not reconnect in lockstep). {@link #reset()} after a successful Welcome.
 *
 * <p>Not thread-safe; the connection calls it from one place at a time.
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final DoubleSupplier random;
  private Duration next;

  /** @param random a source of doubles in [0, 1), e.g. {@code ThreadLocalRandom.current()::nextDouble} */
  public Backoff(Duration initial, Duration max, DoubleSupplier random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + ", " + max);
    }
    this.initial = initial;
    this.max = max;
    this.random = Objects.requireNonNull(random, "random");
    this.next = initial;
  }

  /** The agent's default: 0.5 s doubling to 30 s. */
  public static Backoff standard(DoubleSupplier random) {
    return new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), random);
  }

  /** The delay before the next attempt; each call doubles the following one up to the cap. */
  public Duration nextDelay() {
    Duration current = next;
    Duration doubled = current.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return jittered(current);
  }

  /** The longest delay (before jitter). */
  public Duration cap() {
    return max;
  }

  /** A delay at the cap, jittered the same way, without changing the next {@link #nextDelay()}. */
  public Duration atCap() {
    return jittered(max);
  }

  private Duration jittered(Duration delay) {
    long nanos = delay.toNanos();
    return Duration.ofNanos(nanos / 2 + (long) (random.getAsDouble() * (nanos - nanos / 2)));
  }

  public void reset() {
    next = initial;
  }
}
