package io.drover.cli.output;

import com.google.protobuf.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Renders a timestamp as its age, e.g. {@code 4s ago}, {@code 3m ago}, {@code 2d ago}. */
public final class Ages {
  private Ages() {}

  public static String ago(Timestamp at, Clock clock) {
    if (at.getSeconds() == 0 && at.getNanos() == 0) {
      return "never";
    }
    Duration age = Duration.between(Instant.ofEpochSecond(at.getSeconds(), at.getNanos()), clock.instant());
    if (age.isNegative()) {
      age = Duration.ZERO;
    }
    long s = age.toSeconds();
    if (s < 120) {
      return s + "s ago";
    }
    if (s < 2 * 3600) {
      return age.toMinutes() + "m ago";
    }
    if (s < 2 * 86400) {
      return age.toHours() + "h ago";
    }
    return age.toDays() + "d ago";
  }
}
