package io.drover.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AccessLineTest {

  /** A line as nginx writes it in the agent's format, escaping {@code "} and {@code \} like nginx. */
  static String line(String request, int status, String agent, String requestTime, String upstreamTime) {
    return "127.0.0.1 - - [30/Nov/2026:04:20:00 +0000] \"" + escape(request) + "\" " + status + " 1234 \"-\" \""
        + escape(agent) + "\" rt=" + requestTime + " urt=" + upstreamTime;
  }

  private static String escape(String value) {
    return value.replace("\\", "\\x5C").replace("\"", "\\x22");
  }

  @Test
  void readsStatusAndDurationOfAnyRequestLine() {
    Random random = new Random(42);
    String alphabet = "abc /?=&\"'\\[]-rt=urt= 0123456789\t%";
    for (int round = 0; round < 2000; round++) {
      StringBuilder request = new StringBuilder();
      StringBuilder agent = new StringBuilder();
      for (int i = random.nextInt(40); i > 0; i--) {
        request.append(alphabet.charAt(random.nextInt(alphabet.length())));
        agent.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      int status = 100 + random.nextInt(500);
      String seconds = String.format("%d.%03d", random.nextInt(100), random.nextInt(1000));
      String upstream = List.of("-", "0.004", "0.010, 0.002", seconds).get(random.nextInt(4));
      String written = line(request.toString(), status, agent.toString(), seconds, upstream);
      assertEquals(Optional.of(new AccessLine(status, Double.parseDouble(seconds), escape(agent.toString()))),
          AccessLine.parse(written), written);
    }
  }

  @Test
  void skipsLinesInOtherFormats() {
    for (String other : List.of("", "garbage", "127.0.0.1 - - [30/Nov/2026:04:20:00 +0000] \"GET / HTTP/1.1\" 200 12",
        "127.0.0.1 - - [30/Nov/2026:04:20:00 +0000] \"GET / HTTP/1.1\" 2x0 1 \"-\" \"-\" rt=0.1 urt=-",
        "127.0.0.1 - - [30/Nov/2026:04:20:00 +0000] \"GET / HTTP/1.1\" 700 1 \"-\" \"-\" rt=0.1 urt=-",
        "127.0.0.1 - - [30/Nov/2026:04:20:00 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\" rt=-1 urt=-")) {
      assertTrue(AccessLine.parse(other).isEmpty(), other);
    }
  }
}
