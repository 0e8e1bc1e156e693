package io.drover.server.store;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * A log line's view of a collection that may name the whole fleet: the first few members and how
 * many more there are, so one line stays short however many hosts an event touches.
 */
public final class LogSample {
  /** How many members a log line names at most. */
  public static final int SHOWN = 10;

  private LogSample() {}

  /** "[a, b, c]" for a short collection; "[m1, …, m10, +90 more]" for one of 100. */
  public static String of(Collection<?> members) {
    if (members.size() <= SHOWN) {
      return members.toString();
    }
    return members.stream().limit(SHOWN).map(String::valueOf)
        .collect(Collectors.joining(", ", "[", ", +" + (members.size() - SHOWN) + " more]"));
  }
}
