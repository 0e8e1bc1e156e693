package io.drover.agent.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.drover.api.v1.AgentMessage;
import io.drover.api.v1.AgentServiceGrpc;
import io.drover.api.v1.Hello;
import io.drover.api.v1.Metrics;
import io.drover.api.v1.ServerMessage;
import io.drover.testing.Await;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the connection retries, by the status a server ends its stream with (in-process gRPC). */
class ServerConnectionTest {
  private final String name = InProcessServerBuilder.generateName();
  private final RecordingScheduler heartbeats = new RecordingScheduler();
  private Server server;
  private ServerChannels channels;
  private ServerConnection connection;

  @AfterEach
  void tearDown() throws InterruptedException {
    if (connection != null) {
      connection.close();
    }
    heartbeats.shutdownNow();
    if (channels != null) {
      channels.close(1000);
    }
    server.shutdownNow().awaitTermination();
  }

  /** Runs everything scheduled with a delay at once and records the delay it was scheduled with. */
  private static final class RecordingScheduler extends ScheduledThreadPoolExecutor {
    final List<Duration> delays = new CopyOnWriteArrayList<>();

    RecordingScheduler() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      delays.add(Duration.ofNanos(unit.toNanos(delay)));
      return super.schedule(command, 0, unit);
    }
  }

  /** A server that ends every stream with {@code status}. */
  private void serverEnding(Status status) throws IOException {
    server = InProcessServerBuilder.forName(name).directExecutor().addService(new AgentServiceGrpc.AgentServiceImplBase() {
      @Override
      public StreamObserver<AgentMessage> connect(StreamObserver<ServerMessage> responses) {
        responses.onError(status.asRuntimeException());
        return new StreamObserver<>() {
          @Override
          public void onNext(AgentMessage value) {}

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        };
      }
    }).build().start();
    channels = new ServerChannels(List.of(name), a -> InProcessChannelBuilder.forName(a).directExecutor().build(), 0);
    connection = new ServerConnection(channels, heartbeats, Backoff.standard(() -> 0.5),
        () -> Hello.newBuilder().setHost("web-1").build(), new NoMetrics(), a -> {}, Clock.systemUTC());
  }

  private List<Duration> firstRetries(int n) {
    connection.start();
    Await.until(Duration.ofSeconds(10), n + " reconnects", () -> heartbeats.delays.size() >= n);
    connection.close();
    return heartbeats.delays.subList(0, n);
  }

  @Test
  void aServerThatIsDownIsRetriedWithGrowingDelays() throws IOException {
    serverEnding(Status.UNAVAILABLE.withDescription("server stopping"));
    assertEquals(List.of(Duration.ofMillis(375), Duration.ofMillis(750), Duration.ofMillis(1500), Duration.ofMillis(3000)),
        firstRetries(4));
  }

  @Test
  void aRevokedCertificateIsRetriedAtTheCapFromTheFirstRefusal() throws IOException {
    serverEnding(Status.UNAUTHENTICATED.withDescription("the certificate of host web-1 is revoked; enroll the agent again"));
    Duration cap = Duration.ofMillis(22_500); // 30 s with the jitter the test's random gives
    assertEquals(List.of(cap, cap, cap, cap), firstRetries(4));
  }

  @Test
  void aHelloForAnotherHostIsRetriedAtTheCap() throws IOException {
    serverEnding(Status.PERMISSION_DENIED.withDescription("hello.host: this agent's certificate is for host web-2"));
    assertEquals(List.of(Duration.ofMillis(22_500), Duration.ofMillis(22_500)), firstRetries(2));
  }

  private static final class NoMetrics implements MetricsFeed {
    @Override
    public void start(Duration every, Consumer<Metrics> send) {}

    @Override
    public void stop() {}
  }
}
