package io.drover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.testing.Await;
import io.drover.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent in system mode: it writes include files into the config directories of an nginx and a
 * supervisord that it did not start (the test starts them, standing in for the host's own) and
 * reloads them.
 */
class SystemModeTest {
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
  void agentDrivesTheHostsOwnNginxAndSupervisor() throws Exception {
    int ingress = Fleet.freePort();
    Path etc = tmp.resolve("etc");
    Path nginxConf = startNginx(etc.resolve("nginx"), ingress);
    Path supervisorConf = startSupervisord(etc.resolve("supervisor"));

    db = TestDatabase.create();
    fleet = new Fleet(tmp.resolve("fleet"), db.url(), "system-mode");
    fleet.ownDaemonsUnder(etc);
    fleet.startServer();
    Fleet.Agent host = fleet.startAgent("sys-1", "role=web", ingress, List.of(
        "--nginx-conf-dir", etc.resolve("nginx/conf.d").toString(),
        "--supervisor-conf-dir", etc.resolve("supervisor/conf.d").toString(),
        "--nginx-config", nginxConf.toString(),
        "--supervisor-config", supervisorConf.toString()));

    Path spec = Examples.copy("hello", tmp.resolve("hello"));
    fleet.cli("apply", "-f", spec.toString(), "--wait").requireSuccess();

    assertEquals("Hello from drover\n", host.get("hello.local", "/").body());
    assertEquals(1, count(etc.resolve("nginx/conf.d"), "hello"), "one nginx include file for hello");
    assertEquals(1, count(etc.resolve("supervisor/conf.d"), "hello"), "one supervisor program file for hello");

    fleet.cli("delete", "hello", "--wait").requireSuccess();
    assertEquals(0, count(etc.resolve("nginx/conf.d"), "hello"));
    assertEquals(0, count(etc.resolve("supervisor/conf.d"), "hello"));
    Await.until(Duration.ofSeconds(10), "hello to be gone from the host's nginx",
        () -> host.get("hello.local", "/").status() != 200);
    assertEquals(List.of(), Processes.matching("gunicorn", host.dataDir.toString()));
  }

  private static long count(Path dir, String word) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().contains(word)).count();
    }
  }

  /** An nginx like a host's own: a main config that includes conf.d inside http {}. */
  private static Path startNginx(Path dir, int port) throws Exception {
    Files.createDirectories(dir.resolve("conf.d"));
    Files.createDirectories(dir.resolve("tmp"));
    Path conf = dir.resolve("nginx.conf");
    String d = dir.toString();
    Files.writeString(conf, String.join("\n",
        "pid " + d + "/nginx.pid;",
        "error_log " + d + "/error.log;",
        "events {}",
        "http {",
        "  access_log " + d + "/access.log;",
        "  client_body_temp_path " + d + "/tmp/body;",
        "  proxy_temp_path " + d + "/tmp/proxy;",
        "  fastcgi_temp_path " + d + "/tmp/fastcgi;",
        "  uwsgi_temp_path " + d + "/tmp/uwsgi;",
        "  scgi_temp_path " + d + "/tmp/scgi;",
        "  server { listen 127.0.0.1:" + port + " default_server; return 404; }",
        "  include " + d + "/conf.d/*.conf;",
        "}", ""));
    run("nginx", "-p", d, "-c", conf.toString());
    return conf;
  }

  /** A supervisord like a host's own, with programs included from conf.d. */
  private static Path startSupervisord(Path dir) throws Exception {
    Files.createDirectories(dir.resolve("conf.d"));
    Path conf = dir.resolve("supervisord.conf");
    String d = dir.toString();
    Files.writeString(conf, String.join("\n",
        "[unix_http_server]",
        "file=" + d + "/supervisor.sock",
        "chmod=0700",
        "[supervisord]",
        "logfile=" + d + "/supervisord.log",
        "pidfile=" + d + "/supervisord.pid",
        "childlogdir=" + d,
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
        "[supervisorctl]",
        "serverurl=unix://" + d + "/supervisor.sock",
        "[include]",
        "files = " + d + "/conf.d/*.conf", ""));
    run("supervisord", "-c", conf.toString());
    Await.until(Duration.ofSeconds(20), "supervisord to answer", () -> {
      try {
        return new ProcessBuilder("supervisorctl", "-c", conf.toString(), "pid").start().waitFor() == 0;
      } catch (Exception e) {
        return false;
      }
    });
    return conf;
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd) + " timed out");
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
  }
}
