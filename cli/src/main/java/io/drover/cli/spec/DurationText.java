package io.drover.cli.spec;

import java.time.Duration;

/**
 * Durations as people write them in specs and flags: {@code 500ms}, {@code 5s}, {@code 2m}, {@code
 * 1h30m}; {@link io.drover.spec.DurationText} is where they are read and written, for the CLI's
 * commands as for the spec and the server.
 */
public final class DurationText {
  private DurationText() {}

  /** The duration {@code text} names (zero allowed), or null when it is not written that way. */
  public static Duration parse(String text) {
    return io.drover.spec.DurationText.parse(text);
  }

  /** Writes {@code d} the way {@link #parse} reads it, e.g. {@code 500ms}, {@code 5m} or {@code 1h30m}. */
  public static String format(Duration d) {
    return io.drover.spec.DurationText.format(d);
  }
}
