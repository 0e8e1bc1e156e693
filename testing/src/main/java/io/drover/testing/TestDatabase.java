package io.drover.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A fresh, empty PostgreSQL database for one test class or test.
 *
 * <p>The server named by {@code DROVER_TEST_DATABASE_URL} (a JDBC URL of a database whose user may
 * create databases) is used when set; otherwise one PostgreSQL container is started through
 * Testcontainers for the whole JVM. Each {@link #create()} makes a new database on that server, so
 * tests never see each other's rows. {@link #close()} drops it.
 */
public final class TestDatabase implements AutoCloseable {
  public static final String ENV = "DROVER_TEST_DATABASE_URL";

  private static PostgreSQLContainer container;

  private final String adminUrl;
  private final String name;
  private final String url;

  private TestDatabase(String adminUrl, String name) {
    this.adminUrl = adminUrl;
    this.name = name;
    this.url = withDatabase(adminUrl, name);
  }

  /** Creates a new empty database. */
  public static TestDatabase create() {
    String admin = adminUrl();
    String name = "drover_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(admin);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database on " + admin + ": " + e.getMessage(), e);
    }
    return new TestDatabase(admin, name);
  }

  /** JDBC URL of this database, credentials included. */
  public String url() {
    return url;
  }

  public String name() {
    return name;
  }

  @Override
  public void close() {
    try (Connection c = DriverManager.getConnection(adminUrl);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop test database " + name + ": " + e.getMessage(), e);
    }
  }

  private static synchronized String adminUrl() {
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      return env;
    }
    if (container == null) {
      PostgreSQLContainer c = new PostgreSQLContainer("postgres:15-alpine");
      c.start();
      container = c;
    }
    return container.getJdbcUrl() + (container.getJdbcUrl().contains("?") ? "&" : "?")
        + "user=" + container.getUsername() + "&password=" + container.getPassword();
  }

  /** Replaces the database name in a JDBC URL such as jdbc:postgresql://h:p/db?user=x. */
  static String withDatabase(String jdbcUrl, String database) {
    int hostStart = jdbcUrl.indexOf("//");
    if (!jdbcUrl.startsWith("jdbc:postgresql:") || hostStart < 0) {
      throw new IllegalArgumentException(ENV + " must be a jdbc:postgresql://host:port/db URL, got " + jdbcUrl);
    }
    int slash = jdbcUrl.indexOf('/', hostStart + 2);
    int query = jdbcUrl.indexOf('?');
    String head = slash < 0 ? (query < 0 ? jdbcUrl : jdbcUrl.substring(0, query)) : jdbcUrl.substring(0, slash);
    String tail = query < 0 ? "" : jdbcUrl.substring(query);
    return head + "/" + database + tail;
  }
}
