package io.drover.cli.command;

import io.drover.spec.DurationText;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads flag values written like {@code 90s}, {@code 5m}, {@code 1h30m} or {@code 500ms}; zero is refused. */
public final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    Duration d = DurationText.parse(value);
    if (d == null || d.isZero()) {
      throw new TypeConversionException("'" + value + "' is not a duration like 30s, 5m or 1h");
    }
    return d;
  }
}
