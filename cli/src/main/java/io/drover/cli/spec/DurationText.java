package io.drover.cli.spec;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in specs and flags: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h30m}. */
public final class DurationText {
  private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private DurationText() {}

  /** The duration {@code text} names (zero allowed), or null when it is not written that way. */
  public static Duration parse(String text) {
    Matcher m = PART.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      });
      end = m.end();
    }
    return text.isEmpty() || end != text.length() ? null : total;
  }

  /** Writes {@code d} the way {@link #parse} reads it, e.g. {@code 500ms}, {@code 5m} or {@code 1h30m}. */
  public static String format(Duration d) {
    if (d.toMillisPart() != 0 || d.isZero()) {
      return d.toMillis() + "ms";
    }
    StringBuilder b = new StringBuilder();
    if (d.toHours() > 0) {
      b.append(d.toHours()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      b.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0) {
      b.append(d.toSecondsPart()).append('s');
    }
    return b.toString();
  }
}
