package io.drover.agent.sandbox;

import io.drover.agent.host.AtomicFile;
import io.drover.agent.host.Directories;
import io.drover.agent.host.HostCommand;
import io.drover.agent.nginx.NginxSite;
import io.drover.agent.supervisor.SupervisorRpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A supervisord and an nginx owned by the agent, everything under one directory: {@code
 * supervisor/} (config, unix socket, pid, log, {@code programs/}) and {@code nginx/} (config, pid,
 * logs, temp dirs, {@code sites/}). The daemons outlive the agent process; a restarted agent adopts
 * them through their pid files. {@link #stopDaemons(Path)} ends them.
 */
public final class Sandbox {
  private static final Logger log = LoggerFactory.getLogger(Sandbox.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  private final Path dir;
  private final String nginxBinary;
  private final String supervisorctlBinary;

  private Sandbox(Path dir, String nginxBinary, String supervisorctlBinary) {
    this.dir = dir.toAbsolutePath();
    this.nginxBinary = nginxBinary;
    this.supervisorctlBinary = supervisorctlBinary;
  }

  /**
   * Writes the daemons' configs under {@code dir} and starts supervisord and nginx unless live ones
   * from an earlier run are found (an adopted nginx is reloaded with the new config).
   */
  public static Sandbox start(
      Path dir, InetSocketAddress ingress, String nginxBinary, String supervisordBinary, String supervisorctlBinary) {
    Sandbox sandbox = new Sandbox(dir, nginxBinary, supervisorctlBinary);
    sandbox.startSupervisord(supervisordBinary);
    sandbox.startNginx(ingress);
    return sandbox;
  }

  /**
   * Stops the supervisord (and with it every app) and the nginx of the sandbox under {@code
   * sandboxDir}, waiting until both processes are gone. Does nothing for daemons not running.
   */
  public static void stopDaemons(Path sandboxDir) {
    Sandbox s = new Sandbox(sandboxDir, defaultBinary("/usr/sbin/nginx", "nginx"),
        defaultBinary("/usr/bin/supervisorctl", "supervisorctl"));
    long supervisord = livePid(s.supervisordPidFile(), "supervisord");
    if (supervisord > 0) {
      try {
        s.supervisorRpc().call("supervisor.shutdown");
      } catch (RuntimeException e) {
        log.warn("event=supervisord_shutdown_failed pid={} error=\"{}\"", supervisord, e.getMessage());
      }
    }
    long nginx = livePid(s.nginxPidFile(), "nginx");
    if (nginx > 0) {
      HostCommand.run(HostCommand.of(s.nginxCommand(), "-s", "stop"), COMMAND_TIMEOUT);
    }
    awaitGone(supervisord, "supervisord");
    awaitGone(nginx, "nginx");
  }

  public Path nginxSiteDir() {
    return dir.resolve("nginx/sites");
  }

  public Path supervisorProgramDir() {
    return dir.resolve("supervisor/programs");
  }

  /** nginx with this sandbox's prefix and config; append {@code -t} or {@code -s reload}. */
  public List<String> nginxCommand() {
    return List.of(nginxBinary, "-p", dir.resolve("nginx").toString(), "-c", nginxConf().toString());
  }

  /** The unix socket of this sandbox's supervisord. */
  public Path supervisorSocket() {
    return dir.resolve("supervisor/supervisor.sock");
  }

  /** This sandbox's supervisord's XML-RPC interface. */
  public SupervisorRpc supervisorRpc() {
    return new SupervisorRpc(supervisorSocket(), COMMAND_TIMEOUT);
  }

  /** supervisorctl talking to this sandbox's supervisord. */
  public List<String> supervisorctlCommand() {
    return List.of(supervisorctlBinary, "-c", supervisordConf().toString());
  }

  private Path supervisordConf() {
    return dir.resolve("supervisor/supervisord.conf");
  }

  private Path supervisordPidFile() {
    return dir.resolve("supervisor/supervisord.pid");
  }

  private Path nginxConf() {
    return dir.resolve("nginx/nginx.conf");
  }

  private Path nginxPidFile() {
    return dir.resolve("nginx/nginx.pid");
  }

  private void startSupervisord(String supervisordBinary) {
    Path sup = Directories.createPrivate(dir.resolve("supervisor"));
    Directories.create(supervisorProgramDir());
    AtomicFile.write(supervisordConf(), supervisordConfig(sup));
    long pid = livePid(supervisordPidFile(), "supervisord");
    if (pid > 0) {
      log.info("event=supervisord_adopted pid={} dir={}", pid, sup);
      return;
    }
    HostCommand.run(List.of(supervisordBinary, "-c", supervisordConf().toString()), COMMAND_TIMEOUT).orThrow();
    SupervisorRpc rpc = supervisorRpc();
    awaitUp("supervisord", () -> {
      try {
        return "RUNNING".equals(((Map<?, ?>) rpc.call("supervisor.getState")).get("statename"));
      } catch (RuntimeException e) {
        return false; // the socket is not there yet
      }
    });
    log.info("event=supervisord_started pid={} dir={}", livePid(supervisordPidFile(), "supervisord"), sup);
  }

  String supervisordConfig(Path sup) {
    String socket = supervisorSocket().toString();
    return "; written by the drover agent\n"
        + "[unix_http_server]\n"
        + "file=" + socket + "\n"
        + "chmod=0700\n\n"
        + "[supervisord]\n"
        + "logfile=" + sup.resolve("supervisord.log") + "\n"
        + "pidfile=" + supervisordPidFile() + "\n"
        + "childlogdir=" + sup + "\n"
        + "nodaemon=false\n\n"
        + "[rpcinterface:supervisor]\n"
        + "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n\n"
        + "[supervisorctl]\n"
        + "serverurl=unix://" + socket + "\n\n"
        + "[include]\n"
        + "files = " + supervisorProgramDir() + "/*.conf\n";
  }

  private void startNginx(InetSocketAddress ingress) {
    Path ngx = Directories.createPrivate(dir.resolve("nginx"));
    Directories.create(nginxSiteDir());
    for (String temp : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
      Directories.create(ngx.resolve("temp").resolve(temp));
    }
    AtomicFile.write(nginxConf(), nginxConfig(ngx, ingress));
    HostCommand.run(HostCommand.of(nginxCommand(), "-t"), COMMAND_TIMEOUT).orThrow();
    long pid = livePid(nginxPidFile(), "nginx");
    if (pid > 0) {
      HostCommand.run(HostCommand.of(nginxCommand(), "-s", "reload"), COMMAND_TIMEOUT).orThrow();
      log.info("event=nginx_adopted pid={} dir={}", pid, ngx);
      return;
    }
    HostCommand.run(nginxCommand(), COMMAND_TIMEOUT).orThrow();
    awaitUp("nginx", () -> livePid(nginxPidFile(), "nginx") > 0);
    log.info("event=nginx_started pid={} ingress={}", livePid(nginxPidFile(), "nginx"),
        NginxSite.listenAddress(ingress));
  }

  String nginxConfig(Path ngx, InetSocketAddress ingress) {
    Path temp = ngx.resolve("temp");
    return "# written by the drover agent\n"
        + "worker_processes 1;\n"
        + "pid " + nginxPidFile() + ";\n"
        + "error_log " + ngx.resolve("error.log") + ";\n"
        + "events {\n  worker_connections 1024;\n}\n"
        + "http {\n"
        + "  " + NginxSite.HTTP_CONTEXT
        + "  " + NginxSite.VARIABLES_HASH
        + "  access_log " + ngx.resolve("access.log") + " drover;\n"
        + "  client_body_temp_path " + temp.resolve("client_body") + ";\n"
        + "  proxy_temp_path " + temp.resolve("proxy") + ";\n"
        + "  fastcgi_temp_path " + temp.resolve("fastcgi") + ";\n"
        + "  uwsgi_temp_path " + temp.resolve("uwsgi") + ";\n"
        + "  scgi_temp_path " + temp.resolve("scgi") + ";\n"
        + "  server {\n"
        + "    listen " + NginxSite.listenAddress(ingress) + " default_server;\n"
        + "    return 404;\n"
        + "  }\n"
        + "  include " + nginxSiteDir() + "/*.conf;\n"
        + "}\n";
  }

  /** The pid in {@code pidFile} when that process is alive and its command line names {@code name}; else 0. */
  static long livePid(Path pidFile, String name) {
    try {
      if (!Files.isRegularFile(pidFile)) {
        return 0;
      }
      String text = Files.readString(pidFile).strip();
      if (!text.matches("\\d+")) {
        return 0;
      }
      long pid = Long.parseLong(text);
      Path cmdline = Path.of("/proc", text, "cmdline");
      if (!Files.exists(cmdline)) {
        return 0;
      }
      String cmd = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8);
      return cmd.contains(name) ? pid : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private static void awaitUp(String what, java.util.function.BooleanSupplier up) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!up.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + " did not come up within " + START_TIMEOUT);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  private static void awaitGone(long pid, String what) {
    if (pid <= 0) {
      return;
    }
    awaitUp(what + " " + pid + " exit", () -> gone(pid));
  }

  /** True when the process no longer exists or is a zombie waiting for a parent that may never reap it. */
  private static boolean gone(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String afterName = stat.substring(stat.lastIndexOf(')') + 1).trim();
      return afterName.startsWith("Z") || afterName.startsWith("X");
    } catch (IOException e) {
      return true;
    }
  }

  private static String defaultBinary(String path, String name) {
    return Files.isExecutable(Path.of(path)) ? path : name;
  }
}
