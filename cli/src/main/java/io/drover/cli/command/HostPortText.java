package io.drover.cli.command;

import java.net.InetSocketAddress;

/** Writes a socket address the way a user types it: {@code 127.0.0.1:8080}, {@code [::1]:8080}. */
final class HostPortText {
  private HostPortText() {}

  static String of(InetSocketAddress address) {
    String host = address.getAddress() == null || address.getAddress().isAnyLocalAddress()
        ? "127.0.0.1" : address.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
