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
  void aFleetGivenTheSameListSpreadsOverItsServers() throws InterruptedException {
    Map<String, Integer> first = new java.util.TreeMap<>();
    for (int i = 0; i < 300; i++) {
      ServerChannels servers = new ServerChannels(List.of("a:7070", "b:7070", "c:7070"),
          address -> InProcessChannelBuilder.forName(address).build());
      first.merge(servers.address(), 1, Integer::sum);
      servers.close(1000);
    }
    assertEquals(java.util.Set.of("a:7070", "b:7070", "c:7070"), first.keySet(), "every server is someone's first");
    first.values().forEach(n -> org.junit.jupiter.api.Assertions.assertTrue(n > 50, "spread: " + first));
  }

  @Test
  void oneServerStaysThatServer() throws InterruptedException {
    ServerChannels servers = new ServerChannels(List.of("a:7070"), a -> InProcessChannelBuilder.forName(a).build());
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
