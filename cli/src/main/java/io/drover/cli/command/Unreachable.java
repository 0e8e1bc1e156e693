package io.drover.cli.command;

import io.grpc.Status;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Words an UNAVAILABLE status as one line naming the server, the cause and, where there is one, the
 * fix: {@code cannot reach server at web:7070: unknown host web (check --server)}, {@code cannot
 * reach server at 127.0.0.1:7070 (connection refused)}. A status the server itself sent (it has no
 * local cause) keeps its description.
 */
final class Unreachable {
  private Unreachable() {}

  static String describe(ServerAddress address, Status status) {
    String at = "cannot reach server at " + address;
    Throwable cause = status.getCause();
    if (cause == null) {
      String said = status.getDescription();
      return said == null || said.isBlank() ? at + " (unavailable)" : "server at " + address + " is unavailable: " + said;
    }
    UnknownHostException unknown = find(cause, UnknownHostException.class);
    if (unknown != null) {
      return at + ": unknown host " + address.host() + " (check " + address.origin() + ")";
    }
    CertificateException refused = find(cause, CertificateException.class);
    if (refused != null) {
      return at + ": " + refused.getMessage()
          + " (check --ca-fingerprint, DROVER_CA_FINGERPRINT or the CA drover login pinned)";
    }
    SSLException tls = find(cause, SSLException.class);
    if (tls != null) {
      // Netty's "not an SSL/TLS record: <hex of what came back>" is long and says no more than this
      String why = innermost(tls).startsWith("not an SSL/TLS record") ? "it does not answer in TLS" : innermost(tls);
      return at + ": no TLS handshake: " + why + " (is " + address + " the server's gRPC port?)";
    }
    return at + " (" + innermost(cause) + ")";
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /**
   * The innermost message of {@code e}'s causes, without the {@code : /127.0.0.1:7070} Netty appends
   * to a socket error, starting lower case: {@code connection refused}.
   */
  static String innermost(Throwable e) {
    String message = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    if (message == null) {
      return e.getClass().getSimpleName();
    }
    message = message.replaceFirst(": [^ ]*/[^ /]*:\\d+$", "").strip();
    boolean word = message.length() > 1 && Character.isUpperCase(message.charAt(0))
        && Character.isLowerCase(message.charAt(1));
    return word ? message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1) : message;
  }
}
