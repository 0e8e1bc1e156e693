package io.drover.cli.dev;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL cluster under one directory ({@code data/} and {@code postgres.log}), created on
 * first use with trust authentication for the user {@code drover}, listening on a free loopback
 * port and no unix socket. {@link #close()} stops it ({@code pg_ctl stop -m fast}) and waits.
 */
public final class EmbeddedPostgres implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
  private static final Duration INITDB_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration PG_CTL_TIMEOUT = Duration.ofSeconds(60);
  static final String USER = "drover";

  private final PostgresBinaries binaries;
  private final DatabaseAccount account;
  private final Path dir;
  private final int port;
  private boolean stopped;

  private EmbeddedPostgres(PostgresBinaries binaries, DatabaseAccount account, Path dir, int port) {
    this.binaries = binaries;
    this.account = account;
    this.dir = dir;
    this.port = port;
  }

  /**
   * Creates the cluster under {@code dir} unless it exists, stops a server left running there by an
   * earlier run, and starts it on a free loopback port; returns once it accepts connections.
   */
  public static EmbeddedPostgres start(PostgresBinaries binaries, DatabaseAccount account, Path dir) {
    return start(binaries, account, dir, freeLoopbackPort());
  }

  /**
   * Like {@link #start(PostgresBinaries, DatabaseAccount, Path)}, on the given loopback port: e.g.
   * to start a stopped cluster again where its clients look for it.
   */
  public static EmbeddedPostgres start(PostgresBinaries binaries, DatabaseAccount account, Path dir, int port) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new DevFailure("cannot create the database directory " + dir + ": " + e.getMessage(), e);
    }
    for (Path changed : account.makeReachable(dir)) {
      log.info("event=made_traversable dir={} account={}", changed, account.name());
    }
    account.own(dir);
    EmbeddedPostgres pg = new EmbeddedPostgres(binaries, account, dir, port);
    pg.initIfNeeded();
    pg.stopLeftover();
    pg.pgCtl(PG_CTL_TIMEOUT, "start", "-w", "-t", Long.toString(PG_CTL_TIMEOUT.toSeconds()), "-l", pg.logFile().toString(),
        "-o", "-p " + pg.port).orThrow();
    log.info("event=postgres_started port={} data={} binaries={}", pg.port, pg.dataDir(), binaries.bin());
    return pg;
  }

  /** JDBC URL of the cluster's {@code postgres} database as the {@code drover} superuser. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=" + USER;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dir.resolve("data");
  }

  public Path logFile() {
    return dir.resolve("postgres.log");
  }

  /** Stops the server ({@code pg_ctl stop -m fast}) and waits until it has exited. */
  @Override
  public synchronized void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    pgCtl(PG_CTL_TIMEOUT, "stop", "-m", "fast", "-w", "-t", Long.toString(PG_CTL_TIMEOUT.toSeconds())).orThrow();
    log.info("event=postgres_stopped data={}", dataDir());
  }

  private void initIfNeeded() {
    if (Files.exists(dataDir().resolve("PG_VERSION"))) {
      return;
    }
    Path data = dataDir();
    try {
      PostgresBinaries.deleteTree(data); // a half-made cluster from an interrupted first run
      Files.createDirectory(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new DevFailure("cannot create the database directory " + data + ": " + e.getMessage(), e);
    }
    account.own(data);
    Exec.run(account.command(List.of(binaries.program("initdb").toString(), "-D", data.toString(), "-U", USER,
        "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync")), dir, INITDB_TIMEOUT).orThrow();
    String settings = "\n# drover dev: loopback TCP only, no unix socket (its path could be too long)\n"
        + "listen_addresses = '127.0.0.1'\n"
        + "unix_socket_directories = ''\n"
        + "synchronous_commit = off\n";
    try {
      Files.writeString(data.resolve("postgresql.conf"), settings, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new DevFailure("cannot configure " + data.resolve("postgresql.conf") + ": " + e.getMessage(), e);
    }
    log.info("event=postgres_initialized data={}", data);
  }

  /** A server still running from a run that was killed: stop it so this run starts its own. */
  private void stopLeftover() {
    if (Files.exists(dataDir().resolve("postmaster.pid")) && pgCtl(PG_CTL_TIMEOUT, "status").ok()) {
      log.info("event=postgres_leftover_stopping data={}", dataDir());
      pgCtl(PG_CTL_TIMEOUT, "stop", "-m", "fast", "-w").orThrow();
    }
  }

  private Exec.Result pgCtl(Duration timeout, String... args) {
    List<String> command = new ArrayList<>(List.of(binaries.program("pg_ctl").toString(), "-D", dataDir().toString()));
    command.addAll(List.of(args));
    return Exec.run(account.command(command), dir, timeout);
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new DevFailure("cannot find a free loopback port for PostgreSQL: " + e.getMessage(), e);
    }
  }
}
