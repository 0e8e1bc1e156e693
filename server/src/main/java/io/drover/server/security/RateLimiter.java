package io.drover.server.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * At most {@code limit} failures per key (a peer's address) in a fixed window of {@code window} per
 * key; past that, the key is refused until its window ends. Remembers a bounded number of keys,
 * forgetting the least recently seen first.
 */
final class RateLimiter {
  private static final int MAX_KEYS = 10_000;

  private final int limit;
  private final Duration window;
  private final Clock clock;
  private final Map<String, long[]> windows = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
      return size() > MAX_KEYS;
    }
  };

  RateLimiter(int limit, Duration window, Clock clock) {
    this.limit = limit;
    this.window = window;
    this.clock = clock;
  }

  /** Whether {@code key} may try now: fewer than the limit of failures in its current window. */
  synchronized boolean allows(String key) {
    long[] w = window(key);
    return w[1] < limit;
  }

  /** Counts a failed attempt by {@code key}. */
  synchronized void failed(String key) {
    window(key)[1]++;
  }

  private long[] window(String key) {
    Instant now = clock.instant();
    long[] w = windows.computeIfAbsent(key, k -> new long[] {now.toEpochMilli(), 0});
    if (now.toEpochMilli() - w[0] >= window.toMillis()) {
      w[0] = now.toEpochMilli();
      w[1] = 0;
    }
    return w;
  }
}
