package io.drover.agent.supervisor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * supervisord's XML-RPC interface, reached over its unix socket: one HTTP/1.0 {@code POST /RPC2} per
 * call on a fresh connection, which supervisord closes after answering. No process is started, so a
 * call costs a few milliseconds where {@code supervisorctl} costs a Python start.
 */
public final class SupervisorRpc {
  private static final int MAX_ANSWER = 4 * 1024 * 1024;

  private final Path socket;
  private final Duration timeout;

  public SupervisorRpc(Path socket, Duration timeout) {
    this.socket = socket;
    this.timeout = timeout;
  }

  public Path socket() {
    return socket;
  }

  /**
   * Calls {@code method} (e.g. {@code supervisor.getProcessInfo}) and returns its decoded value.
   *
   * @throws XmlRpc.FaultException when supervisord answers with a fault
   * @throws UncheckedIOException when supervisord cannot be reached or does not answer in time
   */
  public Object call(String method, Object... params) {
    byte[] body = XmlRpc.request(method, params).getBytes(StandardCharsets.UTF_8);
    String head = "POST /RPC2 HTTP/1.0\r\nHost: localhost\r\nUser-Agent: drover-agent\r\n"
        + "Content-Type: text/xml\r\nContent-Length: " + body.length + "\r\n\r\n";
    String answer;
    try {
      answer = exchange(head.getBytes(StandardCharsets.US_ASCII), body);
    } catch (IOException e) {
      throw new UncheckedIOException("supervisord at " + socket + ": " + method + " failed: " + e.getMessage(), e);
    }
    int headerEnd = answer.indexOf("\r\n\r\n");
    if (!answer.startsWith("HTTP/") || headerEnd < 0) {
      throw new XmlRpc.MalformedException("supervisord at " + socket + " answered " + method + " with no HTTP response");
    }
    String status = answer.substring(answer.indexOf(' ') + 1, answer.indexOf("\r\n")).strip();
    if (!status.startsWith("200")) {
      throw new XmlRpc.MalformedException("supervisord at " + socket + " answered " + method + " with HTTP " + status);
    }
    return XmlRpc.response(method, answer.substring(headerEnd + 4));
  }

  private String exchange(byte[] head, byte[] body) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        Selector selector = Selector.open()) {
      ByteBuffer out = ByteBuffer.allocate(head.length + body.length).put(head).put(body).flip();
      while (out.hasRemaining()) {
        channel.write(out); // a blocking write: the request is small and supervisord reads it at once
      }
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ);
      ByteArrayOutputStream in = new ByteArrayOutputStream(1024);
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          throw new IOException("no complete answer within " + timeout.toMillis() + " ms");
        }
        selector.select(left);
        selector.selectedKeys().clear();
        int n;
        while ((n = channel.read(buffer.clear())) > 0) {
          in.write(buffer.array(), 0, n);
          if (in.size() > MAX_ANSWER) {
            throw new IOException("answer larger than " + MAX_ANSWER + " bytes");
          }
        }
        if (n < 0) {
          return in.toString(StandardCharsets.UTF_8);
        }
      }
    }
  }
}
