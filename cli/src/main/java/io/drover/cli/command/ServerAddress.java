package io.drover.cli.command;

import java.util.regex.Pattern;

/**
 * Where a Drover server listens, as the CLI dials it: {@code HOST:PORT}, an IPv6 address in brackets
 * ({@code [::1]:7070}), with where the address came from ({@code --server}, {@code DROVER_ADDR}, the
 * config file or the default) so that a failure can say what to check.
 *
 * @param host a name or address, without brackets
 * @param port 1 to 65535
 * @param origin where the address was given, for messages: {@code --server}, {@code DROVER_ADDR}, ...
 */
public record ServerAddress(String host, int port, String origin) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]+)?");

  /**
   * Reads {@code text} given at {@code origin}.
   *
   * @throws IllegalArgumentException naming what is wrong and how to write it, e.g. {@code 'http://a:7070':
   *     drop the scheme http://, write HOST:PORT (a:7070)}
   */
  public static ServerAddress parse(String text, String origin) {
    String value = text == null ? "" : text.strip();
    if (value.isEmpty()) {
      throw new IllegalArgumentException("empty address: write HOST:PORT, e.g. 127.0.0.1:7070");
    }
    int scheme = value.indexOf("://");
    if (scheme >= 0) {
      String rest = value.substring(scheme + 3).replaceFirst("/.*$", "");
      throw new IllegalArgumentException("'" + value + "': drop the scheme " + value.substring(0, scheme + 3)
          + ", write HOST:PORT" + (rest.isEmpty() ? "" : " (" + rest + ")"));
    }
    String host;
    String port;
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      if (close < 0 || close + 1 >= value.length() || value.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("'" + value + "': write an IPv6 address as [ADDRESS]:PORT, e.g. [::1]:7070");
      }
      host = value.substring(1, close);
      port = value.substring(close + 2);
      if (!IPV6.matcher(host).matches() || !host.contains(":")) {
        throw new IllegalArgumentException("'" + value + "': '" + host + "' is not an IPv6 address");
      }
    } else {
      int colon = value.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("'" + value + "' has no port: write HOST:PORT, e.g. " + value + ":7070");
      }
      if (value.indexOf(':') != colon) {
        throw new IllegalArgumentException("'" + value + "': put an IPv6 address in brackets, e.g. [::1]:7070");
      }
      host = value.substring(0, colon);
      port = value.substring(colon + 1);
      if (host.isEmpty()) {
        throw new IllegalArgumentException("'" + value + "' has no host: write HOST:PORT, e.g. 127.0.0.1" + value);
      }
      if (!NAME.matcher(host).matches()) {
        throw new IllegalArgumentException("'" + value + "': '" + host + "' is not a host name or address");
      }
    }
    return new ServerAddress(host, port(value, port), origin);
  }

  private static int port(String value, String port) {
    if (port.isEmpty() || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("'" + value + "': the port must be a number from 1 to 65535, not '" + port + "'");
    }
    int number = port.length() > 5 ? Integer.MAX_VALUE : Integer.parseInt(port);
    if (number < 1 || number > 65535) {
      throw new IllegalArgumentException("'" + value + "': port " + port + " is out of range (1 to 65535)");
    }
    return number;
  }

  /** The address as a user writes it and as gRPC dials it: {@code host:port}, {@code [::1]:port}. */
  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
