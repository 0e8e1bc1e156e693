package io.drover.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.cli.command.CliRun.Result;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every failure is one line on stderr naming the cause and the fix, with its exit status. */
class FailureLinesTest {
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

  private static void assertOneLine(int status, String line, Result result) {
    assertEquals(new Result(status, "", line + "\n"), result);
  }

  @Test
  void anUnknownHostIsNamedWithWhereTheAddressCameFrom() {
    assertOneLine(1, "drover: cannot reach server at nosuchhost.invalid:7070: unknown host nosuchhost.invalid "
        + "(check --server)", CliRun.run("apps", "--server", "nosuchhost.invalid:7070", "--ca-fingerprint", "ab".repeat(32)));
    assertOneLine(1, "drover: cannot reach server at nosuchhost.invalid:7070: unknown host nosuchhost.invalid "
        + "(check DROVER_ADDR)", CliRun.run(CliRun.environment(Map.of("DROVER_ADDR", "nosuchhost.invalid:7070",
            "DROVER_CA_FINGERPRINT", "ab".repeat(32))), "apps"));
  }

  @Test
  void aServerAddressThatIsNotHostPortIsAUsageErrorBeforeAnyConnection() {
    assertOneLine(64, "drover: --server: '127.0.0.1:99999': port 99999 is out of range (1 to 65535)",
        cli.drover("apps", "--server", "127.0.0.1:99999"));
    assertOneLine(64, "drover: --server: 'http://127.0.0.1:7070': drop the scheme http://, write HOST:PORT "
        + "(127.0.0.1:7070)", CliRun.run("apps", "--server", "http://127.0.0.1:7070"));
    assertOneLine(64, "drover: --server: '::1:7070': put an IPv6 address in brackets, e.g. [::1]:7070",
        CliRun.run("apps", "--server", "::1:7070"));
    assertOneLine(64, "drover: DROVER_ADDR: 'web-1' has no port: write HOST:PORT, e.g. web-1:7070",
        CliRun.run(CliRun.environment(Map.of("DROVER_ADDR", "web-1")), "apps"));
    assertEquals(0, fake.calls.get(), "nothing was sent");
  }

  @Test
  void anIpv6AddressInBracketsIsDialled() {
    // the fake listens on 127.0.0.1 only: the call reaches the dialling of [::1] and fails there
    Result result = CliRun.run("apps", "--server", "[::1]:" + cli.port(), "--ca-fingerprint", cli.caFingerprint());
    assertEquals(1, result.status());
    assertTrue(result.err().startsWith("drover: cannot reach server at [::1]:" + cli.port() + " ("), result.err());
    assertEquals(1, result.err().lines().count(), result.err());
  }

  @Test
  void aPortThatDoesNotSpeakTlsIsNamed() throws Exception {
    ServerSocket http = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    Thread answering = Thread.ofVirtual().start(() -> {
      while (true) {
        try (Socket s = http.accept()) {
          s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException closed) {
          return;
        }
      }
    });
    try {
      String address = "127.0.0.1:" + http.getLocalPort();
      assertOneLine(1, "drover: cannot reach server at " + address + ": no TLS handshake: it does not answer in TLS (is "
          + address + " the server's gRPC port?)", CliRun.run("apps", "--server", address, "--ca-fingerprint", "ab".repeat(32)));
    } finally {
      http.close();
      answering.join();
    }
  }

  @Test
  void aMistypedCommandOrOptionSuggestsTheNearest() {
    assertOneLine(64, "drover: unknown command \"aply\" (did you mean apply?)", CliRun.run("aply", "-f", "x.yaml"));
    assertOneLine(64, "drover: unknown command \"rollout stauts\" (did you mean rollout status?)",
        CliRun.run("rollout", "stauts", "hello"));
    assertOneLine(64, "drover: unknown command \"frobnicate\" (see drover --help)", CliRun.run("frobnicate"));
    assertOneLine(64, "drover: unknown command \"aply\" (did you mean apply?)", CliRun.run("help", "aply"));
    assertOneLine(64, "drover: unknown option \"--ouptut\" (did you mean --output?)",
        CliRun.run("status", "hello", "--ouptut", "json"));
    assertOneLine(64, "drover: missing command (see drover --help)", CliRun.run());
    assertOneLine(64, "drover: --timeout: '5x' is not a duration like 30s, 5m or 1h",
        CliRun.run("delete", "hello", "--wait", "--timeout", "5x"));
  }

  @Test
  void serverErrorsAreOneLineEachAndTheDebugVariableAddsTheStackTrace() {
    fake.watchFailures.add(io.grpc.Status.PERMISSION_DENIED.withDescription("role viewer may not call WatchAppStatus"));
    fake.watched.add(io.drover.api.v1.AppStatus.newBuilder().setApp("hello").setExists(true).build());
    fake.apps.put("hello", io.drover.api.v1.App.newBuilder().setName("hello").setRevision(1).build());
    assertEquals(new Result(1, "hello: deleted\n", "drover: role viewer may not call WatchAppStatus\n"),
        cli.drover("delete", "hello", "--wait"));

    Result wrongPin = CliRun.run("apps", "--server", "127.0.0.1:" + cli.port(), "--ca-fingerprint", "ab".repeat(32));
    assertOneLine(1, "drover: cannot reach server at 127.0.0.1:" + cli.port() + ": the server's CA fingerprint is "
        + cli.caFingerprint() + ", not the pinned " + "ab".repeat(32) + " (check --ca-fingerprint, "
        + "DROVER_CA_FINGERPRINT or the CA drover login pinned)", wrongPin);

    Result debug = CliRun.run(CliRun.environment(Map.of("DROVER_DEBUG", "1")), "apps", "--server",
        "127.0.0.1:" + cli.port(), "--ca-fingerprint", "ab".repeat(32));
    assertEquals(1, debug.status());
    assertTrue(debug.err().startsWith("drover: cannot reach server at 127.0.0.1:" + cli.port() + ": "), debug.err());
    assertTrue(debug.err().lines().count() > 5 && debug.err().contains("\tat io.grpc."), "a stack trace: " + debug.err());
  }
}
