package io.drover.cli.command;

import io.drover.cli.config.CliConfig;
import io.drover.tls.ServerTrust;
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

  @Option(
      names = "--ca-fingerprint",
      paramLabel = "SHA256",
      description = "The SHA-256 fingerprint of the server's CA to trust (default: $DROVER_CA_FINGERPRINT, else the "
          + "CLI config file's, as drover login wrote it).")
  String caFingerprint;

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

  /**
   * Opens a TLS connection to the resolved address, trusting the pinned CA and sending the token from
   * {@code DROVER_TOKEN}, else the config file.
   */
  public OperatorConnection connect() {
    CliConfig config = CliConfig.ofUser();
    String address = resolve();
    String pin = firstOf(caFingerprint, System.getenv("DROVER_CA_FINGERPRINT"), config.caFingerprint().orElse(null));
    if (pin == null) {
      throw new CommandFailure("no CA pinned for the server at " + address + ": run drover login --server " + address
          + " --token TOKEN (or pass --ca-fingerprint)");
    }
    ServerTrust trust;
    try {
      trust = ServerTrust.pinned(pin);
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(e.getMessage(), e);
    }
    String token = firstOf(System.getenv("DROVER_TOKEN"), config.token().orElse(null));
    return OperatorConnection.open(address, trust, token);
  }

  private static String firstOf(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
