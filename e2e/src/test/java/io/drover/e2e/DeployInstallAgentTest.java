package io.drover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/install-agent.sh, run with --root so that it lays the agent out under a directory. */
class DeployInstallAgentTest {
  static final Path SCRIPT = Drover.ROOT.resolve("deploy/install-agent.sh");

  private static final String TOKEN = "drv_0123456789abcdef_" + "ab".repeat(32);
  private static final String FINGERPRINT = "cd".repeat(32);

  @TempDir Path root;

  @Test
  void laysOutTheAgentAndUpgradesInPlaceOnASecondRun() throws IOException {
    DistRelease.Result first = install("--server", "127.0.0.1:7070", "--name", "web-1", "--labels", "role=web",
        "--token", TOKEN, "--ca-fingerprint", FINGERPRINT).requireSuccess("install-agent.sh");

    assertTrue(Files.isExecutable(root.resolve("opt/drover/bin/drover")), "/opt/drover/bin/drover is executable");
    assertTrue(Files.isRegularFile(root.resolve("opt/drover/lib/drover.jar")), "/opt/drover/lib/drover.jar is there");
    Path env = root.resolve("etc/drover/agent.env");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(env)), "agent.env mode");
    assertEquals("127.0.0.1:7070", value(env, "DROVER_SERVER"));
    assertEquals("web-1", value(env, "DROVER_NAME"));
    assertEquals("role=web", value(env, "DROVER_LABELS"));
    assertEquals(TOKEN, value(env, "DROVER_ENROLL_TOKEN"));
    assertEquals(FINGERPRINT, value(env, "DROVER_CA_FINGERPRINT"));
    String unit = Files.readString(root.resolve("etc/systemd/system/drover-agent.service"));
    assertTrue(unit.contains("EnvironmentFile=/etc/drover/agent.env"), unit);
    assertTrue(unit.lines().anyMatch(l -> l.startsWith("ExecStart=/opt/drover/bin/drover agent ")), unit);
    assertTrue(first.out().contains("would run: systemctl enable --now drover-agent"), first.out());

    DistRelease.Result second = install("--server", "10.0.0.5:7070", "--name", "web-1", "--labels", "role=web,zone=b")
        .requireSuccess("install-agent.sh, second run");

    assertEquals("10.0.0.5:7070", value(env, "DROVER_SERVER"));
    assertEquals("role=web,zone=b", value(env, "DROVER_LABELS"));
    assertEquals(FINGERPRINT, value(env, "DROVER_CA_FINGERPRINT"), "kept from the first install");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(env)), "agent.env mode after the upgrade");
    assertTrue(second.out().contains("would run: systemctl restart drover-agent"), second.out());
    assertFalse(Files.exists(root.resolve("opt/drover.new")) || Files.exists(root.resolve("opt/drover.old")), "no staging directories left");
    DistRelease.run(root, 60, Map.of(), root.resolve("opt/drover/bin/drover").toString(), "--version")
        .requireSuccess("the installed /opt/drover/bin/drover --version");
  }

  @Test
  void keepsExtraAgentArgumentsAnOperatorAddedToTheEnvironmentFile() throws IOException {
    install("--server", "127.0.0.1:7070", "--name", "web-2", "--labels", "role=web", "--ca-fingerprint", FINGERPRINT)
        .requireSuccess("install-agent.sh");
    Path env = root.resolve("etc/drover/agent.env");
    Files.writeString(env, Files.readString(env).replace("DROVER_AGENT_ARGS=", "DROVER_AGENT_ARGS=--nginx-config /etc/nginx/nginx.conf"));

    install("--server", "127.0.0.1:7070", "--name", "web-2", "--labels", "role=web").requireSuccess("install-agent.sh, second run");

    assertEquals("--nginx-config /etc/nginx/nginx.conf", value(env, "DROVER_AGENT_ARGS"));
  }

  @Test
  void refusesMissingOrMalformedOptionsNamingTheOption() {
    DistRelease.Result noServer = install("--name", "web-1", "--labels", "role=web");
    assertNotEquals(0, noServer.exit());
    assertTrue(noServer.err().contains("--server"), noServer.err());

    DistRelease.Result noCa = install("--server", "127.0.0.1:7070", "--name", "web-1", "--labels", "role=web");
    assertNotEquals(0, noCa.exit());
    assertTrue(noCa.err().contains("--ca-fingerprint"), noCa.err());

    DistRelease.Result badLabels = install("--server", "127.0.0.1:7070", "--name", "web-1", "--labels", "role",
        "--ca-fingerprint", FINGERPRINT);
    assertNotEquals(0, badLabels.exit());
    assertTrue(badLabels.err().contains("--labels"), badLabels.err());
    assertFalse(Files.exists(root.resolve("etc/drover/agent.env")), "nothing written after a refused option");
  }

  private DistRelease.Result install(String... options) {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString(), "--root", root.toString(),
        "--tarball", DistRelease.tarball().toString()));
    command.addAll(List.of(options));
    return DistRelease.run(root, 120, Map.of(), command.toArray(String[]::new));
  }

  /** The value of {@code name} in a systemd environment file, failing when it is not set exactly once. */
  private static String value(Path envFile, String name) throws IOException {
    List<String> values = Files.readAllLines(envFile).stream()
        .filter(l -> l.startsWith(name + "="))
        .map(l -> l.substring(name.length() + 1))
        .toList();
    assertEquals(1, values.size(), name + " set once in " + envFile + ": " + values);
    return values.get(0);
  }
}
