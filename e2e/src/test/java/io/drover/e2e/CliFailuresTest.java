package io.drover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ./drover} process keeps its promise of one line on stderr and a distinct exit status
 * for each kind of failure; what gRPC and Netty would log (a name that does not resolve comes with a
 * stack trace from gRPC) stays off stderr unless {@code DROVER_DEBUG=1}.
 */
class CliFailuresTest {
  private static final String PIN = "ab".repeat(32);

  @TempDir Path home;

  private Drover.Result drover(Map<String, String> extra, String... args) {
    Map<String, String> env = new HashMap<>(Map.of("XDG_CONFIG_HOME", home.resolve("config").toString(),
        "DROVER_ADDR", "", "DROVER_TOKEN", "", "DROVER_CA_FINGERPRINT", "", "DROVER_DEBUG", ""));
    env.putAll(extra);
    return Drover.run(300, env, args);
  }

  private static void assertOneLine(int exit, String line, Drover.Result result) {
    assertEquals(exit, result.exit(), result.toString());
    assertEquals("", result.out(), result.toString());
    assertEquals(line + "\n", result.err(), result.toString());
  }

  @Test
  void anUnknownHostIsOneLineWithoutGrpcsLog() {
    assertOneLine(1, "drover: cannot reach server at nosuchhost.invalid:7070: unknown host nosuchhost.invalid "
        + "(check --server)", drover(Map.of(), "apps", "--server", "nosuchhost.invalid:7070", "--ca-fingerprint", PIN));
  }

  @Test
  void withDroverDebugTheLineIsFollowedByTheStackTrace() {
    Drover.Result result = drover(Map.of("DROVER_DEBUG", "1"), "apps", "--server", "nosuchhost.invalid:7070",
        "--ca-fingerprint", PIN);
    assertEquals(1, result.exit(), result.toString());
    assertTrue(result.err().lines().anyMatch(l -> l.startsWith("drover: cannot reach server at nosuchhost.invalid:7070: "
        + "unknown host")), result.err());
    assertTrue(result.err().contains("java.net.UnknownHostException"), result.err());
  }

  @Test
  void aPortOutOfRangeOrASchemeIsAUsageErrorAndNothingIsDialled() {
    assertOneLine(64, "drover: --server: '127.0.0.1:99999': port 99999 is out of range (1 to 65535)",
        drover(Map.of(), "apps", "--server", "127.0.0.1:99999", "--ca-fingerprint", PIN));
    assertOneLine(64, "drover: --server: 'http://127.0.0.1:7070': drop the scheme http://, write HOST:PORT "
        + "(127.0.0.1:7070)", drover(Map.of(), "apps", "--server", "http://127.0.0.1:7070", "--ca-fingerprint", PIN));
    assertOneLine(64, "drover: DROVER_ADDR: 'http://127.0.0.1:7070': drop the scheme http://, write HOST:PORT "
        + "(127.0.0.1:7070)", drover(Map.of("DROVER_ADDR", "http://127.0.0.1:7070"), "apps", "--ca-fingerprint", PIN));
  }

  @Test
  void aMistypedCommandGetsADidYouMean() {
    assertOneLine(64, "drover: unknown command \"aply\" (did you mean apply?)", drover(Map.of(), "aply", "-f", "x.yaml"));
  }

  @Test
  void theVersionNeedsNoServer() {
    Drover.Result version = drover(Map.of("DROVER_ADDR", "nosuchhost.invalid:1"), "--version");
    assertEquals(0, version.exit(), version.toString());
    assertTrue(version.out().startsWith("drover "), version.out());
    assertEquals("", version.err());
  }
}
