package io.drover.cli.dev;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresTest {
  @Test
  void withoutMachinePostgresTheBundledBinariesRunTheDatabase(@TempDir Path tmp) throws Exception {
    Path noSystemPostgres = Files.createDirectories(tmp.resolve("usr-lib-postgresql"));
    PostgresBinaries binaries = PostgresBinaries.locate(noSystemPostgres, tmp.resolve("binaries"));
    assertTrue(binaries.origin().startsWith("bundled"), binaries.origin());

    EmbeddedPostgres pg = EmbeddedPostgres.start(binaries, DatabaseAccount.forThisProcess(), tmp.resolve("postgres"));
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl());
        ResultSet rs = c.createStatement().executeQuery("show server_version")) {
      assertTrue(rs.next());
      assertTrue(rs.getString(1).startsWith("17."), rs.getString(1));
    } finally {
      pg.close();
    }
    assertFalse(Files.exists(pg.dataDir().resolve("postmaster.pid")), "postgres has stopped");
  }

  @Test
  void theNewestMachineInstallationWins(@TempDir Path tmp) throws Exception {
    for (String version : new String[] {"9.6", "15", "16"}) {
      Path bin = Files.createDirectories(tmp.resolve(version).resolve("bin"));
      for (String program : new String[] {"initdb", "pg_ctl", "postgres"}) {
        Files.writeString(bin.resolve(program), "#!/bin/sh\n");
        assertTrue(bin.resolve(program).toFile().setExecutable(true));
      }
    }
    Files.createDirectories(tmp.resolve("17").resolve("bin")); // incomplete: no programs
    PostgresBinaries found = PostgresBinaries.locate(tmp, tmp.resolve("unused"));
    assertTrue(found.bin().equals(tmp.resolve("16").resolve("bin")), found.bin().toString());
  }
}
