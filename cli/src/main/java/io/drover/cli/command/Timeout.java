package io.drover.cli.command;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --timeout}: how long a command that waits ({@code --wait}, {@code rollout status --watch})
 * waits before it exits {@link ExitCode#TIMED_OUT}; what it started goes on. {@link #DEFAULT} is the
 * one default of every wait, {@code drain --deadline} included.
 */
public final class Timeout {
  /** How long every command waits unless told. */
  public static final String DEFAULT = "10m";

  @Option(
      names = "--timeout",
      defaultValue = DEFAULT,
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "How long to wait, e.g. 90s, 5m, 1h (default: ${DEFAULT-VALUE}); exit 3 when it runs out.")
  Duration value;

  Duration value() {
    return value;
  }
}
