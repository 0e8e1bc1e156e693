package io.drover.cli.command;

import java.net.InetSocketAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads listen addresses written {@code host:port}, {@code [::1]:port} or {@code :port} (all interfaces). */
public final class HostPort implements ITypeConverter<InetSocketAddress> {
  @Override
  public InetSocketAddress convert(String value) {
    return parse(value);
  }

  public static InetSocketAddress parse(String value) {
    int colon = value.lastIndexOf(':');
    if (colon < 0) {
      throw new TypeConversionException("'" + value + "' is not an address like 127.0.0.1:7070");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' has no port number (expected host:port)");
    }
    if (port < 0 || port > 65535) {
      throw new TypeConversionException("'" + value + "': port must be 0..65535");
    }
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }
}
