package io.drover.agent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStateTest {
  @TempDir Path dataDir;

  @Test
  void keepsTheRevisionAnInstanceWasStartedAs() {
    LocalState state = new LocalState(dataDir);
    RunningInstance adopted = new RunningInstance("hello", 2, "drover-hello-2", 9000,
        dataDir.resolve("releases/hello/2"), "abc").adopting(3);
    state.saveInstances(Map.of("hello", adopted));
    assertEquals(Map.of("hello", adopted), new LocalState(dataDir).loadInstances());
  }

  @Test
  void readsAnOlderAgentsFileAsStartedAtTheServedRevision() throws Exception {
    Files.createDirectories(dataDir.resolve("state"));
    Files.writeString(dataDir.resolve("state/instances.properties"), String.join("\n",
        "hello.revision=5", "hello.program=drover-hello-5", "hello.port=9001",
        "hello.release=/data/releases/hello/5", "hello.spec=def", ""));
    assertEquals(Map.of("hello", new RunningInstance("hello", 5, "drover-hello-5", 9001,
        Path.of("/data/releases/hello/5"), "def", 5)), new LocalState(dataDir).loadInstances());
  }
}
