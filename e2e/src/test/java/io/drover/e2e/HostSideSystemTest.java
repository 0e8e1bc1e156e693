package io.drover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an agent leaves open on its host, checked on real processes: apps run as an unprivileged
 * user, the agent's data and supervisord's socket are private, supervisord has no TCP control port,
 * the agent listens on no TCP port, and hostile spec values reach the app unchanged or are refused.
 */
class HostSideSystemTest {
  @TempDir Path tmp;
  private TestDatabase db;
  private Fleet fleet;

  @AfterEach
  void stop() {
    if (fleet != null) {
      fleet.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  void appsRunUnprivilegedAndNothingOfTheAgentIsOpen() throws Exception {
    db = TestDatabase.create();
    fleet = new Fleet(tmp.resolve("fleet"), db.url(), "host-side");
    fleet.startServer();
    Fleet.Agent host = fleet.startAgent("web-1", "role=web");
    Path spec = Examples.copy("hello", tmp.resolve("hello"));
    String greeting = "Hi \\\"there\\\" 'you' ; # $HOME %(ENV_HOME)s {} 100%";
    Examples.edit(spec, "\"Hello from drover\"", "\"" + greeting + "\"");
    Examples.edit(spec, "count: 2}", "count: 1}");
    fleet.cli("apply", "-f", spec.toString(), "--wait").requireSuccess();
    assertEquals("Hi \"there\" 'you' ; # $HOME %(ENV_HOME)s {} 100%\n", host.get("hello.local", "/").body(),
        "the env value reaches the app exactly");

    // gunicorn, master and workers, as nobody (the tests run as root; this host has no drover-app)
    List<Long> gunicorns = Processes.matching("gunicorn", host.appsDir.toString());
    assertFalse(gunicorns.isEmpty(), "gunicorn processes under " + host.appsDir);
    String nobody = uidOf("nobody");
    for (long pid : gunicorns) {
      assertEquals(nobody, processUid(pid), "uid of gunicorn " + pid + " " + Processes.commandLine(pid).orElse(""));
    }

    assertEquals("rwx------", mode(host.dataDir), "the agent's data dir");
    assertEquals("rwx------", mode(host.sandboxDir.resolve("supervisor")), "the dir of supervisord's socket");
    assertEquals("rwx------", mode(host.sandboxDir.resolve("supervisor/supervisor.sock")), "supervisord's socket");
    assertFalse(Files.readString(host.sandboxDir.resolve("supervisor/supervisord.conf")).contains("inet_http_server"));

    long agentPid = host.process.pid();
    assertTrue(Processes.commandLine(agentPid).orElse("").contains("agent"), "the agent's own JVM");
    assertEquals(Set.of(), listeningTcpSockets(agentPid), "TCP sockets the agent listens on");
    assertFalse(listeningTcpSockets(fleet.serverProcess().pid()).isEmpty(), "the check sees the server's listeners");
    long supervisord = Long.parseLong(Files.readString(host.sandboxDir.resolve("supervisor/supervisord.pid")).strip());
    assertEquals(Set.of(), listeningTcpSockets(supervisord), "TCP sockets supervisord listens on");
  }

  @Test
  void specsNamingRootOrAMissingAccountAreRefusedWithTheReason() throws Exception {
    db = TestDatabase.create();
    fleet = new Fleet(tmp.resolve("fleet"), db.url(), "host-side-users");
    fleet.startServer();
    fleet.startAgent("web-1", "role=web");
    Path spec = Examples.copy("hello", tmp.resolve("hello"));
    Examples.edit(spec, "count: 2}", "count: 1}\nuser: root");
    Drover.Result root = fleet.cli("apply", "-f", spec.toString());
    assertEquals(1, root.exit(), root.out() + root.err());
    assertTrue(root.err().contains("user: apps never run as root"), root.err());

    Examples.edit(spec, "user: root", "user: no-such-account");
    Drover.Result missing = fleet.cli("apply", "-f", spec.toString(), "--wait");
    assertTrue(missing.exit() != 0, missing.out() + missing.err());
    assertTrue((missing.out() + missing.err()).contains("user: this host has no account no-such-account"),
        missing.out() + missing.err());
  }

  /** Inodes of the TCP sockets in LISTEN state that {@code pid} holds open (from /proc/PID/fd and /proc/PID/net/tcp*). */
  private static Set<String> listeningTcpSockets(long pid) throws IOException {
    Set<String> held = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            held.add(target.substring("socket:[".length(), target.length() - 1));
          }
        } catch (IOException e) {
          // the fd closed while we looked
        }
      }
    }
    Set<String> listening = new HashSet<>();
    for (String table : List.of("tcp", "tcp6")) {
      Path file = Path.of("/proc", Long.toString(pid), "net", table);
      if (!Files.exists(file)) {
        continue;
      }
      List<String> lines = Files.readAllLines(file); // read once: the table changes between reads
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 9 && f[3].equals("0A") && held.contains(f[9])) {
          listening.add(table + " " + f[1] + " inode " + f[9]);
        }
      }
    }
    return listening;
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static String uidOf(String account) throws Exception {
    Process p = new ProcessBuilder("id", "-u", account).start();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    return new String(p.getInputStream().readAllBytes()).strip();
  }

  private static String processUid(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("Uid:")) {
        return line.substring(4).trim().split("\\s+")[0];
      }
    }
    throw new AssertionError("no Uid line for " + pid);
  }
}
