package io.drover.server.changes;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Consumer;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on {@code drover_changes} through one dedicated database connection and hands every
 * notice to a consumer. It waits on the connection (no polling of tables); when the connection drops
 * it reconnects with backoff and reports "everything changed", since notices may have been missed.
 */
public final class ChangeListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChangeListener.class);
  private static final String CHANNEL_NAME = ChangeNotice.CHANNEL;
  private static final int WAIT_MILLIS = 500;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final String jdbcUrl;
  private final Consumer<ChangeNotice> consumer;
  private final Thread thread;
  private volatile boolean closed;
  private volatile Connection connection;

  private ChangeListener(String jdbcUrl, Consumer<ChangeNotice> consumer) {
    this.jdbcUrl = jdbcUrl;
    this.consumer = consumer;
    this.thread = Thread.ofPlatform().name("drover-listen").daemon().unstarted(this::run);
  }

  /** Connects, issues LISTEN (so no notice committed after this returns is missed) and starts the loop. */
  public static ChangeListener start(String jdbcUrl, Consumer<ChangeNotice> consumer) {
    ChangeListener listener = new ChangeListener(jdbcUrl, consumer);
    try {
      listener.connection = listener.connect();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot LISTEN on " + CHANNEL_NAME + ": " + e.getMessage(), e);
    }
    listener.thread.start();
    return listener;
  }

  private Connection connect() throws SQLException {
    Connection c = DriverManager.getConnection(jdbcUrl);
    try {
      DSL.using(new DefaultConfiguration().set(c).set(SQLDialect.POSTGRES)).execute("LISTEN " + CHANNEL_NAME);
    } catch (RuntimeException e) {
      c.close();
      throw new SQLException("LISTEN failed: " + e.getMessage(), e);
    }
    return c;
  }

  private void run() {
    Duration backoff = Duration.ofMillis(100);
    while (!closed) {
      try {
        if (connection == null) {
          connection = connect();
          log.info("event=listen_reconnected");
          consumer.accept(ChangeNotice.EVERYTHING);
        }
        PGNotification[] notifications = connection.unwrap(PGConnection.class).getNotifications(WAIT_MILLIS);
        backoff = Duration.ofMillis(100);
        if (notifications == null) {
          continue;
        }
        ChangeNotice merged = ChangeNotice.NONE;
        for (PGNotification n : notifications) {
          merged = merged.merge(ChangeNotice.parse(n.getParameter()));
        }
        consumer.accept(merged);
      } catch (SQLException e) {
        if (closed) {
          return;
        }
        log.warn("event=listen_failed error={} retry_in={}", e.getMessage(), backoff);
        closeQuietly();
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
      }
    }
  }

  private void closeQuietly() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        log.debug("event=listen_close_failed error={}", e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      thread.join(WAIT_MILLIS * 4L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly();
  }
}
