package io.drover.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.drover.api.v1.AccessServiceGrpc;
import io.drover.api.v1.EnrollRequest;
import io.drover.api.v1.EnrollmentServiceGrpc;
import io.drover.api.v1.ListTokensRequest;
import io.drover.server.changes.ChangeDispatcher;
import io.drover.server.rpc.ErrorInterceptor;
import io.drover.server.security.AccessEndpoint;
import io.drover.server.security.Identity;
import io.drover.server.security.Role;
import io.drover.server.store.Database;
import io.drover.server.store.Store;
import io.drover.testing.TestDatabase;
import io.drover.tls.Keys;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a call answers when it fails: the database unreachable is UNAVAILABLE (try again), a bug is
 * INTERNAL with an error id that the server log holds with the stack trace.
 */
class CallErrorsTest {
  @TempDir Path dir;
  private TestDatabase db;

  @BeforeEach
  void create() {
    db = TestDatabase.create();
  }

  @AfterEach
  void drop() {
    db.close();
  }

  @Test
  void anAccessCallDuringADatabaseOutageAnswersUnavailable() throws Exception {
    try (Database database = Database.open(db.url(), new SimpleMeterRegistry());
        ChangeDispatcher dispatcher = new ChangeDispatcher(List.of())) {
      Store store = Store.over(database, Clock.systemUTC(), Duration.ofSeconds(10), Duration.ofSeconds(30), dir);
      Identity admin = new Identity.Operator("0123456789abcdef", "admin", Role.ADMIN);
      Server server = InProcessServerBuilder.forName(db.name()).directExecutor()
          .addService(ServerInterceptors.intercept(new AccessEndpoint(store, dispatcher, "ab".repeat(32)),
              new ErrorInterceptor(), calledBy(admin)))
          .build().start();
      ManagedChannel channel = InProcessChannelBuilder.forName(db.name()).directExecutor().build();
      try {
        var access = AccessServiceGrpc.newBlockingStub(channel);
        assertEquals(0, access.listTokens(ListTokensRequest.getDefaultInstance()).getTokensCount(),
            "answers while the database is up");

        cutOff(db);
        var e = assertThrows(StatusRuntimeException.class,
            () -> access.listTokens(ListTokensRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertEquals("cannot list tokens: the database is unreachable, try again later", e.getStatus().getDescription());
      } finally {
        channel.shutdownNow();
        server.shutdownNow();
      }
    }
  }

  @Test
  void callsThroughTheServerDuringADatabaseOutageAnswerUnavailable() {
    DroverServer server = DroverServer.start(ServerConfig.defaults(db.url(), dir.resolve("server"))
        .withGrpcListen(new InetSocketAddress("127.0.0.1", 0))
        .withHttpListen(new InetSocketAddress("127.0.0.1", 0)));
    try (server; Clients clients = new Clients(server, dir.resolve("server"))) {
      var admin = AccessServiceGrpc.newBlockingStub(clients.admin());
      admin.listTokens(ListTokensRequest.getDefaultInstance());
      cutOff(db);

      var enroll = assertThrows(StatusRuntimeException.class, () -> EnrollmentServiceGrpc.newBlockingStub(
          clients.anonymous()).enroll(EnrollRequest.newBuilder().setHost("web-1").setToken("drv_x")
              .setCsr(ByteString.copyFrom(Clients.csr(Keys.newKeyPair()))).build()));
      assertEquals(Status.Code.UNAVAILABLE, enroll.getStatus().getCode(), enroll.getStatus().toString());
      assertEquals("cannot enroll: the database is unreachable, try again later", enroll.getStatus().getDescription());

      var tokens = assertThrows(StatusRuntimeException.class,
          () -> admin.listTokens(ListTokensRequest.getDefaultInstance()));
      assertEquals(Status.Code.UNAVAILABLE, tokens.getStatus().getCode(), tokens.getStatus().toString());
      assertTrue(tokens.getStatus().getDescription().endsWith("the database is unreachable, try again later"),
          tokens.getStatus().getDescription());
    }
  }

  @Test
  void aBugAnswersInternalWithAnErrorIdTheLogHas() throws Exception {
    DroverServer server = DroverServer.start(ServerConfig.defaults(db.url(), dir.resolve("server"))
        .withGrpcListen(new InetSocketAddress("127.0.0.1", 0))
        .withHttpListen(new InetSocketAddress("127.0.0.1", 0)));
    try (server; Clients clients = new Clients(server, dir.resolve("server")); CapturedLog log = new CapturedLog()) {
      // a token row the server cannot read: listing tokens fails in the server's own code
      sql(db, "INSERT INTO token (id, kind, role, name, secret_sha256, labels, created_at, created_by) "
          + "VALUES ('badbadbadbadbad0', 'enroll', '', '', 'x', 'not json', now(), 'test')");

      var e = assertThrows(StatusRuntimeException.class,
          () -> AccessServiceGrpc.newBlockingStub(clients.admin()).listTokens(ListTokensRequest.getDefaultInstance()));
      assertEquals(Status.Code.INTERNAL, e.getStatus().getCode(), e.getStatus().toString());
      Matcher id = Pattern.compile("cannot list tokens: internal error ([0-9a-f]{8}) ").matcher(e.getStatus().getDescription());
      assertTrue(id.find(), e.getStatus().getDescription());
      String logged = log.text();
      int at = logged.indexOf("error_id=" + id.group(1));
      assertTrue(at >= 0, "the log names error " + id.group(1) + ":\n" + logged);
      assertTrue(logged.indexOf("JsonSyntaxException", at) > at, "with the stack trace:\n" + logged.substring(at));
    }
  }

  /** Sets the caller of every call, as the authenticator would. */
  private static ServerInterceptor calledBy(Identity identity) {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        return Contexts.interceptCall(Context.current().withValue(Identity.KEY, identity), call, headers, next);
      }
    };
  }

  /** Makes the database refuse new connections and ends the open ones, as an outage would. */
  private static void cutOff(TestDatabase db) {
    // from the server's maintenance database: a database cannot lock itself out
    sql(db.url().replace("/" + db.name(), "/postgres"), "ALTER DATABASE " + db.name() + " ALLOW_CONNECTIONS false",
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db.name() + "'");
  }

  private static void sql(TestDatabase db, String... statements) {
    sql(db.url(), statements);
  }

  private static void sql(String url, String... statements) {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run SQL on " + url + ": " + e.getMessage(), e);
    }
  }

  /** Everything written to stderr (where the server logs) while open, still passed through. */
  private static final class CapturedLog implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    CapturedLog() {
      System.setErr(new PrintStream(new OutputStream() {
        @Override
        public void write(int b) {
          synchronized (copy) {
            copy.write(b);
          }
          original.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          synchronized (copy) {
            copy.write(b, off, len);
          }
          original.write(b, off, len);
        }
      }, true, StandardCharsets.UTF_8));
    }

    String text() {
      synchronized (copy) {
        return copy.toString(StandardCharsets.UTF_8);
      }
    }

    @Override
    public void close() {
      System.setErr(original);
    }
  }
}
