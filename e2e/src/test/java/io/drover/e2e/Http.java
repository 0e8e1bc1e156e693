package io.drover.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One plain HTTP/1.1 GET with a chosen Host header, the way {@code curl -H 'Host: …'} sends it. */
final class Http {
  private Http() {}

  /** The status, the body, and the header lines (as sent) of an answer. */
  record Response(int status, String body, String headers) {
    Response(int status, String body) {
      this(status, body, "");
    }

    /** The value of header {@code name} (any case), or null. */
    String header(String name) {
      for (String line : headers.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
          return line.substring(colon + 1).strip();
        }
      }
      return null;
    }
  }

  /** GET {@code path} from 127.0.0.1:{@code port} with {@code Host: host}; status -1 when the connection fails. */
  static Response get(int port, String host, String path) {
    return get(port, host, path, java.util.List.of());
  }

  /** As {@link #get(int, String, String)}, with {@code extraHeaders} lines ({@code Name: value}) sent too. */
  static Response get(int port, String host, String path, java.util.List<String> extraHeaders) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
          + extraHeaders.stream().map(h -> h + "\r\n").collect(java.util.stream.Collectors.joining())
          + "Connection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      String raw = buf.toString(StandardCharsets.UTF_8);
      int headerEnd = raw.indexOf("\r\n\r\n");
      if (!raw.startsWith("HTTP/1.") || headerEnd < 0) {
        return new Response(-1, raw);
      }
      int status = Integer.parseInt(raw.substring(9, 12));
      String sent = raw.substring(0, headerEnd);
      String headers = sent.toLowerCase(java.util.Locale.ROOT);
      String body = raw.substring(headerEnd + 4);
      if (headers.contains("transfer-encoding: chunked")) {
        body = unchunk(body);
      }
      return new Response(status, body, sent);
    } catch (IOException e) {
      return new Response(-1, e.toString());
    }
  }

  private static String unchunk(String body) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < body.length()) {
      int eol = body.indexOf("\r\n", i);
      if (eol < 0) {
        break;
      }
      int size = Integer.parseInt(body.substring(i, eol).split(";")[0].trim(), 16);
      if (size == 0) {
        break;
      }
      sb.append(body, eol + 2, Math.min(body.length(), eol + 2 + size));
      i = eol + 2 + size + 2;
    }
    return sb.toString();
  }
}
