package io.drover.agent.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.drover.agent.AgentConfig;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The servers an agent was given and the order it fails over in. */
class ServerChannelsTest {
  @Test
  void failsOverToTheNextServerAndAfterTheLastToTheFirst() throws InterruptedException {
    ServerChannels servers = new ServerChannels(List.of("a:7070", "b:7070", "c:7070"),
        address -> InProcessChannelBuilder.forName(address).build(), 0);
    assertEquals("a:7070", servers.address());
    assertEquals("b:7070", servers.failOver());
    assertEquals("c:7070", servers.failOver());
    assertEquals("a:7070", servers.failOver());
    servers.close(1000);
  }

  @Test
  void aFleetGivenTheSameListSpreadsOverItsServersEachHostAlwaysStartingAtTheSame() {
    for (int servers = 1; servers <= 4; servers++) {
      int[] first = new int[servers];
      for (int i = 0; i < 1000; i++) {
        int start = ServerChannels.startFor("web-" + i, servers);
        assertEquals(start, ServerChannels.startFor("web-" + i, servers), "the same host, the same server");
        first[start]++;
      }
      for (int n : first) {
        org.junit.jupiter.api.Assertions.assertTrue(n > 1000 / servers * 0.8,
            servers + " servers: " + java.util.Arrays.toString(first));
      }
    }
  }

  @Test
  void oneServerStaysThatServer() throws InterruptedException {
    ServerChannels servers = new ServerChannels(List.of("a:7070"), a -> InProcessChannelBuilder.forName(a).build(), 0);
    assertEquals("a:7070", servers.failOver());
    servers.close(1000);
  }

  @Test
  void theConfigTakesACommaSeparatedListAndNamesAWrongEntry() {
    assertEquals(List.of("10.0.0.1:7070", "b.example.com:7070", "[::1]:7070"),
        config("10.0.0.1:7070, b.example.com:7070,[::1]:7070").servers());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config("a:7070,b"));
    assertEquals("server: \"b\" is not HOST:PORT (in \"a:7070,b\")", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> config("a:7070,"));
  }

  private static AgentConfig config(String server) {
    return AgentConfig.sandbox(server, "web-1", Map.of(), Path.of("/tmp/data"), Path.of("/tmp/sandbox"),
        new InetSocketAddress("127.0.0.1", 8080));
  }
}
