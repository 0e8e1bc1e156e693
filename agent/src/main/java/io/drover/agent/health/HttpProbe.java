package io.drover.agent.health;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP/1.0 GET with short timeouts, with the {@code Host} header of our choosing (which the JDK's
 * HttpClient refuses to set) — how the agent checks an instance directly and through nginx.
 */
public final class HttpProbe {
  private static final int MAX_BODY = 64 * 1024;

  private HttpProbe() {}

  /** What came back: the status code and up to 64 KiB of the body. */
  public record Response(int status, String body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  /** The User-Agent of the agent's own checks: request metrics leave them out. */
  public static final String USER_AGENT = "drover-agent";

  /**
   * GETs {@code path} from {@code address}; throws IOException when nothing valid comes back within
   * {@code timeout}, which bounds the whole exchange (a server that answers a byte at a time does not
   * stretch it).
   */
  public static Response get(InetSocketAddress address, String host, String path, Duration timeout)
      throws IOException {
    return get(address, host, path, timeout, false);
  }

  /**
   * As {@link #get(InetSocketAddress, String, String, Duration)}, over TLS when {@code tls}, with
   * {@code host} as the server name (SNI). The probe checks that this host's own nginx routes the name
   * to the app; the certificate is not what it checks, so any is accepted.
   */
  public static Response get(InetSocketAddress address, String host, String path, Duration timeout, boolean tls)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Socket socket = tls ? tlsSocket(host) : new Socket()) {
      socket.connect(address, Math.max(1, (int) timeout.toMillis()));
      OutputStream out = socket.getOutputStream();
      String request = "GET " + path + " HTTP/1.0\r\nHost: " + host
          + "\r\nUser-Agent: " + USER_AGENT + "\r\nConnection: close\r\n\r\n";
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      while (bytes.size() < MAX_BODY) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          throw new SocketTimeoutException("no complete answer within " + timeout.toMillis() + " ms");
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
        int n = in.read(buffer);
        if (n < 0) {
          break;
        }
        bytes.write(buffer, 0, n);
      }
      String text = bytes.toString(StandardCharsets.UTF_8);
      if (!text.startsWith("HTTP/")) {
        throw new IOException("not an HTTP response from " + address);
      }
      int firstSpace = text.indexOf(' ');
      int status = Integer.parseInt(text.substring(firstSpace + 1, firstSpace + 4));
      int bodyStart = text.indexOf("\r\n\r\n");
      return new Response(status, bodyStart < 0 ? "" : text.substring(bodyStart + 4));
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new IOException("malformed HTTP response from " + address, e);
    }
  }

  private static Socket tlsSocket(String host) throws IOException {
    try {
      javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
      context.init(null, new javax.net.ssl.TrustManager[] {new AnyCertificate()}, null);
      javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket();
      javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
      parameters.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName(host)));
      socket.setSSLParameters(parameters);
      return socket;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot make a TLS socket: " + e.getMessage(), e);
    }
  }

  /** Accepts the certificate of this host's own nginx, which the probe does not judge. */
  private static final class AnyCertificate implements javax.net.ssl.X509TrustManager {
    @Override
    public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
      throw new UnsupportedOperationException("a probe is never a server");
    }

    @Override
    public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
      // the probe checks routing through the local nginx, not the certificate
    }

    @Override
    public java.security.cert.X509Certificate[] getAcceptedIssuers() {
      return new java.security.cert.X509Certificate[0];
    }
  }

  /** Where to reach a listen address from this host: a wildcard address becomes loopback. */
  public static InetSocketAddress reachable(InetSocketAddress listen) {
    if (listen.getAddress() != null && listen.getAddress().isAnyLocalAddress()) {
      return new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), listen.getPort());
    }
    return listen;
  }
}
