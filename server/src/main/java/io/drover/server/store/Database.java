package io.drover.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * The server's PostgreSQL database: a HikariCP pool, migrated by Flyway, queried through jOOQ. A
 * call waits at most {@link #CONNECTION_TIMEOUT} for a connection, so that while the database is
 * unreachable calls (and /healthz) fail fast instead of hanging.
 */
public final class Database implements AutoCloseable {
  /**
   * Connections in the pool. The work a fleet can ask for all at once (registrations, certificate
   * lookups, bundle reads) is admitted a few at a time and queues on the server, so the pool stays
   * small however large the fleet.
   */
  public static final int POOL_SIZE = 16;
  /** The longest a call waits for a pooled connection. */
  public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(3);

  private final String url;
  private final HikariDataSource pool;
  private final DSLContext dsl;

  private Database(String url, HikariDataSource pool) {
    this.url = url;
    this.pool = pool;
    this.dsl = DSL.using(pool, SQLDialect.POSTGRES);
  }

  /** Opens the pool and migrates the schema to the latest version. */
  public static Database open(String jdbcUrl, MeterRegistry registry) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setPoolName("drover");
    config.setMaximumPoolSize(POOL_SIZE);
    config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
    config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
    HikariDataSource pool = new HikariDataSource(config);
    try {
      Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw new IllegalStateException("cannot migrate database " + redact(jdbcUrl) + ": " + e.getMessage(), e);
    }
    return new Database(jdbcUrl, pool);
  }

  public DSLContext dsl() {
    return dsl;
  }

  /** The JDBC URL this database was opened with, credentials included. */
  public String url() {
    return url;
  }

  /** True when the database answers a trivial query. */
  public boolean answers() {
    try {
      return dsl.selectOne().fetchOne(0, Integer.class) == 1;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    pool.close();
  }

  /**
   * Whether {@code e} says the database could not be reached (no connection within the timeout, a
   * connection refused or broken, the server shutting down) rather than that a statement failed.
   */
  public static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** The URL without its password, for logs and errors. */
  public static String redact(String jdbcUrl) {
    return jdbcUrl
        .replaceAll("(?i)([?&]password=)[^&]*", "$1***")
        .replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
  }
}
