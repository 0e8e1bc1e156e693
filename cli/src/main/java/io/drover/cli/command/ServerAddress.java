package io.drover.cli.command;

import picocli.CommandLine.Option;

/** The {@code --server} option of the operator commands: where the Drover server listens. */
public final class ServerAddress {
  /** Used when neither {@code --server} nor {@code DROVER_ADDR} says otherwise. */
  public static final String DEFAULT = "127.0.0.1:7070";

  @Option(
      names = "--server",
      paramLabel = "HOST:PORT",
      description = "The Drover server's gRPC address (default: $DROVER_ADDR, else " + DEFAULT + ").")
  String server;

  /** The address to dial: the flag, else {@code DROVER_ADDR}, else {@link #DEFAULT}. */
  public String resolve() {
    if (server != null && !server.isBlank()) {
      return server;
    }
    String env = System.getenv("DROVER_ADDR");
    return env != null && !env.isBlank() ? env : DEFAULT;
  }

  /** Opens a connection to the resolved address. */
  public OperatorConnection connect() {
    return OperatorConnection.open(resolve());
  }
}
