package io.drover.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Status;
import java.net.ConnectException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class UnreachableTest {
  private static final ServerAddress ADDRESS = ServerAddress.parse("web:7070", "DROVER_ADDR");

  @Test
  void namesTheCauseAndWhereTheAddressCameFrom() {
    assertEquals("cannot reach server at web:7070: unknown host web (check DROVER_ADDR)", Unreachable.describe(ADDRESS,
        Status.UNAVAILABLE.withDescription("Unable to resolve host web").withCause(new UnknownHostException("web: Name or service not known"))));
    assertEquals("cannot reach server at web:7070 (connection refused)", Unreachable.describe(ADDRESS,
        Status.UNAVAILABLE.withDescription("io exception").withCause(new ConnectException("Connection refused: web/10.0.0.7:7070"))));
    assertEquals("cannot reach server at web:7070 (no route to host: connect failed)", Unreachable.describe(ADDRESS,
        Status.UNAVAILABLE.withCause(new ConnectException("No route to host: connect failed: web/10.0.0.7:7070"))));
  }

  @Test
  void aStatusTheServerSentKeepsItsWords() {
    assertEquals("server at web:7070 is unavailable: cannot list apps: the database is unreachable, try again later",
        Unreachable.describe(ADDRESS, Status.UNAVAILABLE.withDescription(
            "cannot list apps: the database is unreachable, try again later")));
  }
}
