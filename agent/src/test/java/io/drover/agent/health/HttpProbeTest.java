package io.drover.agent.health;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** {@link HttpProbe} against real sockets that answer too late or too slowly. */
class HttpProbeTest {
  /** Only against a hang: the probes here have a 500 ms timeout. */
  private static final Duration HANG_GUARD = Duration.ofSeconds(30);

  @Test
  void aServerThatAcceptsAndNeverAnswersFailsTheProbeAtItsTimeout() throws IOException {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
      assertTimeoutPreemptively(HANG_GUARD, () -> assertThrows(SocketTimeoutException.class,
          () -> HttpProbe.get(address, "127.0.0.1", "/healthz", Duration.ofMillis(500))));
    }
  }

  @Test
  void aServerThatAnswersAByteAtATimeCannotStretchTheProbePastItsTimeout() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread dripper = Thread.ofVirtual().start(() -> {
        try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
          for (byte b : "HTTP/1.0 200 OK\r\n\r\n".repeat(1000).getBytes(StandardCharsets.US_ASCII)) {
            out.write(b);
            out.flush();
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // the slow server's pace, not a wait
          }
        } catch (IOException e) {
          // the probe gave up and closed the connection
        }
      });
      InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
      // each byte comes well within the timeout: only a bound on the whole exchange ends it
      assertTimeoutPreemptively(HANG_GUARD, () -> assertThrows(SocketTimeoutException.class,
          () -> HttpProbe.get(address, "127.0.0.1", "/healthz", Duration.ofMillis(500))));
      dripper.interrupt();
    }
  }
}
