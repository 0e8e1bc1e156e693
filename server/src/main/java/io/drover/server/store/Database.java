package io.drover.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/** The server's PostgreSQL database: a HikariCP pool, migrated by Flyway, queried through jOOQ. */
public final class Database implements AutoCloseable {
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
    config.setMaximumPoolSize(10);
    config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
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

  /** The URL without its password, for logs and errors. */
  public static String redact(String jdbcUrl) {
    return jdbcUrl
        .replaceAll("(?i)([?&]password=)[^&]*", "$1***")
        .replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
  }
}
