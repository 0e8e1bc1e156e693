package io.drover.server.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;

/** Which failures mean "the database cannot be reached" rather than "the statement failed". */
class DatabaseUnreachableTest {
  @Test
  void connectionFailuresAreUnreachable() {
    assertTrue(Database.unreachable(new DataAccessException("SQL [select 1]",
        new SQLTransientConnectionException("drover - Connection is not available, request timed out after 3000ms"))));
    assertTrue(Database.unreachable(new DataAccessException("SQL [select 1]",
        new SQLException("Connection to 127.0.0.1:5432 refused", "08001"))));
    assertTrue(Database.unreachable(new SQLException("terminating connection due to administrator command", "57P01")));
  }

  @Test
  void statementFailuresAreNot() {
    assertFalse(Database.unreachable(new DataAccessException("SQL [insert]",
        new SQLException("duplicate key value violates unique constraint", "23505"))));
    assertFalse(Database.unreachable(new IllegalStateException("no such app")));
  }
}
