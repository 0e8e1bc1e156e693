package io.drover.spec;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in specs and flags, and as Drover shows every duration: {@code
 * 500ms}, {@code 5s}, {@code 2m}, {@code 1h30m}. The one reader and writer of durations, used by
 * the spec's {@code update} fields, {@code drover plan}, rollout messages and the CLI's flags.
 */
public final class DurationText {
  private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
  private static final long MAX_MILLIS_PART = 999_999_999;

  private DurationText() {}

  /**
   * The duration {@code text} names (zero allowed): one or more {@code <number><unit>} parts, units
   * {@code ms}, {@code s}, {@code m}, {@code h}, numbers of at most 9 digits; null when it is not
   * written that way.
   */
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

  /**
   * Writes {@code d} the way {@link #parse} reads it, to the millisecond (finer parts are dropped):
   * hours, minutes and seconds when it is whole seconds ({@code 5s}, {@code 2m}, {@code 1h30m}, never
   * {@code 90m}), else milliseconds ({@code 500ms}, {@code 1500ms}); zero is {@code 0s}. A negative
   * duration, which {@link #parse} never gives, is written with a leading {@code -}.
   */
  public static String format(Duration d) {
    if (d.isNegative()) {
      return "-" + format(d.negated());
    }
    if (d.toMillis() == 0) {
      return "0s";
    }
    if (d.toMillisPart() != 0 && d.toMillis() <= MAX_MILLIS_PART) {
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
    if (d.toMillisPart() > 0) {
      b.append(d.toMillisPart()).append("ms");
    }
    return b.toString();
  }
}
