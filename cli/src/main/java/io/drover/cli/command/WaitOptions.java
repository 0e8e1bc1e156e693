package io.drover.cli.command;

import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --wait} and {@code --timeout} of the commands that change something and can wait until it is done. */
public final class WaitOptions {
  @Option(
      names = "--wait",
      description = "Wait until the change is done on every host it concerns; exit 1 when it fails, 3 when "
          + "--timeout runs out.")
  boolean enabled;

  @Mixin Timeout timeout;

  /** Whether to wait. */
  boolean enabled() {
    return enabled;
  }

  Duration timeout() {
    return timeout.value();
  }
}
