package io.drover.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Duration;
import io.drover.api.v1.TopLine;
import io.drover.api.v1.TopResponse;
import io.drover.cli.command.CliRun.Result;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TopCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FakeOperatorService fake = new FakeOperatorService();
  private CliRun cli;

  @BeforeEach
  void start() throws Exception {
    cli = new CliRun(fake);
  }

  @AfterEach
  void stop() {
    cli.close();
  }

  private static TopResponse top(double rps) {
    return TopResponse.newBuilder().setWindow(Duration.newBuilder().setSeconds(60))
        .addLines(TopLine.newBuilder().setApp("blog").setInstances(1).setRssBytes(50L << 20).setWorkers(2))
        .addLines(TopLine.newBuilder().setApp("shop").setInstances(3).setRequestsPerSecond(rps).setP50Seconds(0.0123)
            .setP99Seconds(1.5).setErrorRatio(0.025).setCpuCores(0.35).setRssBytes(300L << 20).setWorkers(12)
            .setRestarts(1))
        .build();
  }

  @Test
  void printsOneTableOffATerminalAndOneJsonSnapshot() throws Exception {
    fake.tops.add(top(41.96));
    Result table = cli.drover("top");
    assertEquals(0, table.status(), table.err());
    assertEquals("""
        over the last 1m
        APP   INSTANCES  REQ/S  P50   P99    5XX   CPU  RSS     WORKERS  RESTARTS
        blog  1          -      -     -      -     -    50MiB   2        0
        shop  3          42.0   12ms  1.50s  2.5%  35%  300MiB  12       1
        """, table.out());

    JsonNode json = JSON.readTree(cli.drover("top", "-o", "json").out());
    JsonNode shop = json.get("lines").get(1);
    assertEquals(41.96, shop.get("requestsPerSecond").asDouble());
    assertEquals(0.025, shop.get("errorRatio").asDouble());
    assertFalse(json.get("lines").get(0).has("requestsPerSecond"), "nothing measured: no field, not 0");
    assertEquals("60s", json.get("window").asText());
    assertEquals(List.of("", ""), fake.topRequests.stream().map(r -> r.getApp()).toList());
  }

  @Test
  void showsTheHostsOfOneAppLiveOnATerminal() {
    fake.tops.add(top(1.0));
    fake.tops.add(top(2.0));
    Result live = cli.droverOnTerminal("top", "shop", "-n", "2", "--interval", "10ms");
    assertEquals(0, live.status(), live.err());
    assertEquals(List.of("shop", "shop"), fake.topRequests.stream().map(r -> r.getApp()).toList());
    assertTrue(live.out().contains("HOST "), live.out());
    int first = live.out().indexOf("  1.0  ");
    int redraw = live.out().indexOf("\u001b[");
    int second = live.out().indexOf("  2.0  ");
    assertTrue(first >= 0 && first < second && live.out().lastIndexOf("\u001b[4F") > first, live.out());
    assertTrue(redraw >= 0, "redrawn in place: " + live.out());
  }

  @Test
  void refusesBadFlagsInOneLine() {
    fake.tops.add(top(1.0));
    Result interval = cli.drover("top", "--interval", "0s");
    assertEquals(64, interval.status());
    assertEquals("drover: --interval: '0s' is not a duration like 30s, 5m or 1h\n", interval.err());
    Result iterations = cli.drover("top", "-n", "0");
    assertEquals(64, iterations.status());
    assertEquals("drover: --iterations must be at least 1, or left out to redraw until Ctrl-C\n", iterations.err());
    assertEquals(List.of(), fake.topRequests, "nothing asked");
  }
}
