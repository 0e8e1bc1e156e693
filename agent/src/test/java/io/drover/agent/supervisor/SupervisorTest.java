package io.drover.agent.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.agent.host.HostCommand;
import io.drover.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Supervisor} over XML-RPC against a real supervisord. */
class SupervisorTest {
  @TempDir Path tmp;
  private Path programs;
  private SupervisorRpc rpc;
  private Supervisor supervisor;

  @BeforeEach
  void startSupervisord() throws IOException {
    programs = Files.createDirectories(tmp.resolve("programs"));
    Path conf = tmp.resolve("supervisord.conf");
    Files.writeString(conf, String.join("\n",
        "[unix_http_server]",
        "file=%(here)s/supervisor.sock ; the socket",
        "chmod=0700",
        "[supervisord]",
        "logfile=" + tmp.resolve("supervisord.log"),
        "pidfile=" + tmp.resolve("supervisord.pid"),
        "childlogdir=" + tmp,
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
        "[include]",
        "files = " + programs + "/*.conf", ""));
    HostCommand.run(List.of("/usr/bin/supervisord", "-c", conf.toString()), Duration.ofSeconds(20)).orThrow();
    rpc = new SupervisorRpc(SupervisordSocket.of(conf), Duration.ofSeconds(20));
    assertEquals(tmp.resolve("supervisor.sock"), rpc.socket());
    Await.until(Duration.ofSeconds(20), "supervisord to answer", () -> {
      try {
        return "RUNNING".equals(((Map<?, ?>) rpc.call("supervisor.getState")).get("statename"));
      } catch (RuntimeException e) {
        return false;
      }
    });
    supervisor = new Supervisor(programs, rpc);
  }

  @AfterEach
  void stopSupervisord() throws IOException {
    long pid = Long.parseLong(Files.readString(tmp.resolve("supervisord.pid")).strip());
    rpc.call("supervisor.shutdown");
    Await.until(Duration.ofSeconds(20), "supervisord to exit", () -> ProcessHandle.of(pid).isEmpty());
  }

  private SupervisorProgram sleeper(String name, String seconds) {
    return new SupervisorProgram(name, List.of("/bin/sleep", seconds), tmp, Map.of("GREETING", "hi"), "",
        tmp.resolve(name + ".out"), tmp.resolve(name + ".err"));
  }

  private void awaitRunning(String name) {
    Await.until(Duration.ofSeconds(20), name + " running", () -> supervisor.status(name).state().equals("RUNNING"));
  }

  @Test
  void addsKeepsReplacesAndRemovesPrograms() {
    supervisor.add(sleeper("drover-a-1", "600"));
    awaitRunning("drover-a-1");
    long pid = supervisor.status("drover-a-1").pid();
    assertTrue(pid > 0);
    assertEquals(pid, supervisor.pid("drover-a-1"));
    assertEquals(Map.of("drover-a-1", new Supervisor.ProgramStatus("RUNNING", pid)), supervisor.statuses());
    assertEquals(List.of("drover-a-1"), supervisor.droverPrograms());

    supervisor.add(sleeper("drover-a-1", "600"));
    assertEquals(pid, supervisor.pid("drover-a-1"), "an unchanged program keeps running");

    supervisor.add(sleeper("drover-a-1", "601"));
    awaitRunning("drover-a-1");
    assertNotEquals(pid, supervisor.pid("drover-a-1"), "a changed program is restarted");
    assertTrue(ProcessHandle.of(pid).isEmpty() || !ProcessHandle.of(pid).get().isAlive(), "the old process is gone");

    long replaced = supervisor.pid("drover-a-1");
    supervisor.remove("drover-a-1");
    assertEquals(new Supervisor.ProgramStatus("UNKNOWN", 0), supervisor.status("drover-a-1"));
    assertFalse(Files.exists(supervisor.programFile("drover-a-1")));
    assertEquals(Map.of(), supervisor.statuses());
    Await.until(Duration.ofSeconds(5), "the program's process to exit",
        () -> ProcessHandle.of(replaced).map(h -> !h.isAlive()).orElse(true));

    supervisor.remove("drover-a-1"); // an unknown program: nothing to do
  }

  @Test
  void namesTheSocketWhenSupervisordIsUnreachable() {
    SupervisorRpc nowhere = new SupervisorRpc(tmp.resolve("missing.sock"), Duration.ofSeconds(1));
    Exception e = assertThrows(java.io.UncheckedIOException.class, () -> nowhere.call("supervisor.getState"));
    assertTrue(e.getMessage().contains("missing.sock"), e.getMessage());
  }
}
