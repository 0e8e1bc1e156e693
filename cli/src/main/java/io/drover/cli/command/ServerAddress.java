package io.drover.cli.command;

import io.drover.cli.config.CliConfig;
import picocli.CommandLine.Option;

/** The {@code --server} option of the operator commands: where the Drover server listens. */
public final class ServerAddress {
  /** Used when neither {@code --server}, {@code DROVER_ADDR} nor the config file says otherwise. */
  public static final String DEFAULT = "127.0.0.1:7070";

  @Option(
      names = "--server",
      paramLabel = "HOST:PORT",
      description = "The Drover server's gRPC address (default: $DROVER_ADDR, else the CLI config file's server, else "
          + DEFAULT + ").")
  String server;

  /** The address to dial: the flag, else {@code DROVER_ADDR}, else the config file's, else {@link #DEFAULT}. */
  public String resolve() {
    return resolve(server, System.getenv("DROVER_ADDR"), CliConfig.ofUser());
  }

  static String resolve(String flag, String env, CliConfig config) {
    if (flag != null && !flag.isBlank()) {
      return flag;
    }
    if (env != null && !env.isBlank()) {
      return env;
    }
    return config.server().orElse(DEFAULT);
  }

  /** Opens a connection to the resolved address. */
  public OperatorConnection connect() {
    return OperatorConnection.open(resolve());
  }
}
