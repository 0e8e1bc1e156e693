package io.drover.cli.command;

import io.drover.cli.config.CliConfig;
import io.drover.cli.config.Environment;
import io.drover.cli.config.EnvironmentVariable;
import io.drover.tls.ServerTrust;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options of every command that calls the server: where it is ({@code --server}, else {@code
 * DROVER_ADDR}, else the config file, else {@link #DEFAULT}), which CA to trust ({@code
 * --ca-fingerprint}, else {@code DROVER_CA_FINGERPRINT}, else the config file), and the operator token
 * ({@code DROVER_TOKEN}, else the config file).
 */
public final class ServerOptions {
  /** Used when neither {@code --server}, {@code DROVER_ADDR} nor the config file says otherwise. */
  public static final String DEFAULT = "127.0.0.1:7070";

  private final Environment environment;

  @Option(
      names = "--server",
      paramLabel = "HOST:PORT",
      converter = AddressFlag.class,
      description = "The Drover server's gRPC address, HOST:PORT or [IPV6]:PORT (default: $DROVER_ADDR, "
          + "else the CLI config file's server, else " + DEFAULT + ").")
  ServerAddress server;

  @Option(
      names = "--ca-fingerprint",
      paramLabel = "SHA256",
      description = "The SHA-256 fingerprint of the server's CA to trust (default: $DROVER_CA_FINGERPRINT, else the "
          + "CLI config file's, as drover login wrote it).")
  String caFingerprint;

  ServerOptions(Environment environment) {
    this.environment = environment;
  }

  /** The address to dial, checked: see {@link #resolve}. */
  public ServerAddress address() {
    return resolve(server, environment.get(EnvironmentVariable.DROVER_ADDR).orElse(null), CliConfig.of(environment));
  }

  /**
   * The flag, else {@code env} (DROVER_ADDR), else the config file's, else {@link #DEFAULT}.
   *
   * @throws CommandFailure ({@link ExitCode#USAGE}) naming the variable or file whose address is not HOST:PORT
   */
  static ServerAddress resolve(ServerAddress flag, String env, CliConfig config) {
    if (flag != null) {
      return flag;
    }
    if (env != null && !env.isBlank()) {
      return checked(env, EnvironmentVariable.DROVER_ADDR.name());
    }
    return config.server()
        .map(s -> checked(s, "server: in " + config.file()))
        .orElseGet(() -> ServerAddress.parse(DEFAULT, "--server, DROVER_ADDR or drover login"));
  }

  private static ServerAddress checked(String text, String origin) {
    try {
      return ServerAddress.parse(text, origin);
    } catch (IllegalArgumentException e) {
      throw CommandFailure.usage(origin + ": " + e.getMessage());
    }
  }

  /**
   * Opens a TLS connection to the resolved address, trusting the pinned CA and sending the token from
   * {@code DROVER_TOKEN}, else the config file.
   */
  public OperatorConnection connect() {
    CliConfig config = CliConfig.of(environment);
    ServerAddress address = address();
    String pin = firstOf(caFingerprint, environment.get(EnvironmentVariable.DROVER_CA_FINGERPRINT).orElse(null),
        config.caFingerprint().orElse(null));
    if (pin == null) {
      throw new CommandFailure("no CA pinned for the server at " + address + ": run drover login --server " + address
          + " --token TOKEN (or pass --ca-fingerprint)");
    }
    ServerTrust trust;
    try {
      trust = ServerTrust.pinned(pin);
    } catch (IllegalArgumentException e) {
      throw CommandFailure.usage("CA fingerprint: " + e.getMessage());
    }
    String token = firstOf(environment.get(EnvironmentVariable.DROVER_TOKEN).orElse(null), config.token().orElse(null));
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

  /** Reads {@code --server HOST:PORT}, refusing anything else before a connection is tried. */
  static final class AddressFlag implements ITypeConverter<ServerAddress> {
    @Override
    public ServerAddress convert(String value) {
      try {
        return ServerAddress.parse(value, "--server");
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
