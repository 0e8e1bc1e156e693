package io.drover.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Timestamp;
import io.drover.api.v1.NotifyDelivery;
import io.drover.cli.command.CliRun.Result;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NotifyCommandTest {
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

  @Test
  void addListLogAndRemoveWebhooks() throws Exception {
    Result added = cli.drover("notify", "add", "--webhook", "https://hooks.example.com/T0/SECRET",
        "--events", "host-down,host-up");
    assertEquals(0, added.status(), added.err());
    assertEquals("webhook 1: https://hooks.example.com/… gets host-down, host-up\n", added.out());

    assertEquals("""
        ID  WEBHOOK                      EVENTS             ADDED BY
        1   https://hooks.example.com/…  host-down,host-up  token:t1 (ops, admin)
        """, cli.drover("notify", "list").out());
    JsonNode list = JSON.readTree(cli.drover("notify", "list", "-o", "json").out());
    assertEquals(1, list.get(0).get("webhookId").asInt());

    fake.deliveries.add(NotifyDelivery.newBuilder().setEventId(7).setEvent("host-down").setHost("web-1")
        .setText("Host web-1 is down").setAt(Timestamp.newBuilder().setSeconds(1_700_000_000)).setWebhookId(1)
        .setState("pending").setAttempts(2).setLastError("the webhook answered HTTP 500").build());
    List<String> log = cli.drover("notify", "log").out().lines().toList();
    assertEquals("AT                    EVENT      TEXT                WEBHOOK  STATE    ATTEMPTS  LAST ERROR", log.get(0));
    assertEquals("2023-11-14T22:13:20Z  host-down  Host web-1 is down  1        pending  2         the webhook answered HTTP 500",
        log.get(1));
    assertEquals("pending", JSON.readTree(cli.drover("notify", "log", "-o", "json").out()).get(0).get("state").asText());

    assertEquals("webhook 1: removed\n", cli.drover("notify", "remove", "1").out());
    Result missing = cli.drover("notify", "remove", "1");
    assertEquals(1, missing.status());
    assertTrue(missing.err().contains("no webhook 1; `drover notify list` shows their ids"), missing.err());
  }

  @Test
  void aMissingWebhookOrSubcommandIsAUsageError() {
    Result noUrl = cli.drover("notify", "add");
    assertEquals(64, noUrl.status());
    assertTrue(noUrl.err().contains("--webhook"), noUrl.err());
    assertEquals(64, cli.drover("notify").status());
    assertEquals(0, fake.calls.get(), "nothing asked");
  }
}
