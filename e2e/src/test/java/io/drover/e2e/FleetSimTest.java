package io.drover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.drover.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet simulator with 2,000 agents and short windows: every agent connects, each change is
 * delivered to and reported by all of them, a restarted server gets them all back, and the server
 * refuses no stream and fails no call on the way. The figures are printed, not asserted (nor are
 * transport failures the agents retry, such as TLS handshakes timing out on a loaded machine).
 */
class FleetSimTest {
  private static final int AGENTS = 2000;

  @TempDir Path dir;

  @Test
  void twoThousandAgentsConnectTakeTwoChangesAndComeBackAfterARestart() throws Exception {
    FleetSim.Result result;
    try (TestDatabase db = TestDatabase.create();
        Fleet fleet = new Fleet(dir.resolve("fleet"), db.url(), "fleetsim")) {
      fleet.startServer();
      result = new FleetSim(fleet, db.url(), new FleetSim.Options(AGENTS, Duration.ofSeconds(10),
          Duration.ofMinutes(2)), dir).run();
    }
    result.print();
    assertEquals(AGENTS, result.connected, "every agent connected");
    assertEquals(List.of(AGENTS, AGENTS), result.runningAfterChange, "both changes reported running by all");
    assertEquals(List.of(AGENTS, AGENTS), result.serverRunningHealthy, "and seen running healthy by the server");
    assertEquals(AGENTS, result.reconnected, "every agent back after the restart");
    assertEquals(0, result.falseDowns, "no host marked down while its agent was connected");
    assertEquals(0, result.failedDownloads, "every download succeeded");
    assertEquals(List.of(), result.failedCalls, "no stream refused by the server, no failed call");
  }
}
