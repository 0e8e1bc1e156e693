package io.drover.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Where a value that must stay secret could have leaked to: a host's files, the database's rows. */
final class Leaks {
  private Leaks() {}

  static Stream<Path> walk(Path dir) {
    try {
      return Files.exists(dir) ? Files.walk(dir) : Stream.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The files of the agent (data, apps and sandbox dirs: configs, state, releases, logs) whose bytes hold {@code text}. */
  static List<String> filesHolding(String text, Fleet.Agent agent) {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> all = Stream.of(agent.dataDir, agent.appsDir, agent.sandboxDir).flatMap(Leaks::walk)) {
      return all.filter(Files::isRegularFile).filter(p -> contains(p, needle)).map(Path::toString)
          .sorted((a, b) -> a.contains("/releases/") == b.contains("/releases/") ? a.compareTo(b)
              : a.contains("/releases/") ? -1 : 1)
          .toList();
    }
  }

  static boolean contains(Path file, byte[] needle) {
    byte[] hay;
    try {
      hay = Files.readAllBytes(file);
    } catch (IOException e) {
      return false; // a socket, or gone meanwhile
    }
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** Every row of every table, as PostgreSQL prints it. */
  static String everyRow(String url) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet r = s.executeQuery(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")) {
        while (r.next()) {
          tables.add(r.getString(1));
        }
      }
      for (String table : tables) {
        try (ResultSet r = s.executeQuery("SELECT t::text FROM \"" + table + "\" t")) {
          while (r.next()) {
            out.append(table).append(": ").append(r.getString(1)).append('\n');
          }
        }
      }
    }
    return out.toString();
  }
}
