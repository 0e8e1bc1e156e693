package io.drover.agent.connect;

import io.drover.api.v1.AgentMessage;
import io.drover.api.v1.AgentServiceGrpc;
import io.drover.api.v1.Assignments;
import io.drover.api.v1.Heartbeat;
import io.drover.api.v1.Hello;
import io.drover.api.v1.InstanceState;
import io.drover.api.v1.InstanceStatus;
import io.drover.api.v1.Metrics;
import io.drover.api.v1.ServerMessage;
import io.drover.api.v1.Welcome;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's one stream to the server: sends Hello (with the latest status of every instance),
 * then heartbeats and metrics at the intervals the Welcome names and each status as it changes;
 * hands pushed assignments on. When the stream ends or the server cannot be reached it fails over
 * to the next server it was given (if any) and reconnects after a delay {@link Reconnect} chooses by
 * the status the stream ended with: the {@link Backoff}'s next (reset by each Welcome), or its cap
 * when the server refuses the agent.
 *
 * <p>Heartbeats and reconnects run on their own scheduler, which nothing else may use, and nothing
 * here blocks: sending only queues on the stream, and metrics come from a {@link MetricsFeed} that
 * samples elsewhere. So nothing the agent does on the host can delay a heartbeat.
 */
public final class ServerConnection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServerConnection.class);

  private final ServerChannels servers;
  private final AgentServiceGrpc.AgentServiceStub stub;
  private final ScheduledExecutorService heartbeats;
  private final Backoff backoff;
  private final Supplier<Hello> hello;
  private final MetricsFeed metrics;
  private final Consumer<Assignments> assignments;
  private final Clock clock;
  private final Map<String, InstanceStatus> latest = new LinkedHashMap<>();

  private Stream current;
  private ScheduledFuture<?> heartbeatTask;
  private boolean closed;
  /** Whether the line saying what to do about a refusal was logged since the last Welcome. */
  private boolean refusalLogged;

  /**
   * @param heartbeats the scheduler of heartbeats and reconnects, used by nothing else
   * @param hello this host's Hello without instances (they are added from the latest statuses)
   * @param metrics the metrics to send while welcomed
   * @param assignments receives each pushed set of assignments, on a gRPC thread: must not block
   */
  public ServerConnection(ServerChannels servers, ScheduledExecutorService heartbeats, Backoff backoff,
      Supplier<Hello> hello, MetricsFeed metrics, Consumer<Assignments> assignments, Clock clock) {
    this.servers = servers;
    this.stub = AgentServiceGrpc.newStub(servers);
    this.heartbeats = heartbeats;
    this.backoff = backoff;
    this.hello = hello;
    this.metrics = metrics;
    this.assignments = assignments;
    this.clock = clock;
  }

  public void start() {
    connect();
  }

  /** Remembers the instance's status (for the next Hello) and sends it if connected. */
  public synchronized void report(InstanceStatus status) {
    if (status.getState() == InstanceState.INSTANCE_STATE_REMOVED) {
      latest.remove(status.getApp());
    } else {
      latest.put(status.getApp(), status);
    }
    send(AgentMessage.newBuilder().setStatus(status).build());
  }

  /** True while a stream is open and the server has welcomed it. */
  public synchronized boolean connected() {
    return current != null && current.welcomed;
  }

  private synchronized void connect() {
    if (closed) {
      return;
    }
    Stream stream = new Stream();
    current = stream;
    stream.requests = stub.connect(stream);
    Hello h = hello.get().toBuilder().addAllInstances(latest.values()).build();
    send(AgentMessage.newBuilder().setHello(h).build());
    log.debug("event=connecting server={} instances={}", servers.address(), h.getInstancesCount());
  }

  private synchronized void welcomed(Stream stream, Welcome welcome) {
    if (stream != current) {
      return;
    }
    stream.welcomed = true;
    backoff.reset();
    refusalLogged = false;
    cancelTasks();
    long heartbeat = Math.max(1, welcome.getHeartbeatIntervalSeconds() > 0 ? welcome.getHeartbeatIntervalSeconds() : 10);
    long metricsEvery = Math.max(1, welcome.getMetricsIntervalSeconds() > 0 ? welcome.getMetricsIntervalSeconds() : 30);
    heartbeatTask = heartbeats.scheduleAtFixedRate(this::heartbeat, heartbeat, heartbeat, TimeUnit.SECONDS);
    metrics.start(Duration.ofSeconds(metricsEvery), this::sendMetrics);
    log.info("event=connected host={} server={} heartbeat_s={} metrics_s={}", welcome.getHost(), servers.address(),
        heartbeat, metricsEvery);
  }

  private synchronized void ended(Stream stream, Status status) {
    if (stream != current) {
      return;
    }
    current = null;
    cancelTasks();
    if (closed) {
      return;
    }
    Reconnect how = Reconnect.after(status.getCode());
    Duration delay = how == Reconnect.REFUSED ? backoff.atCap() : backoff.nextDelay();
    String lost = servers.address();
    String next = servers.failOver();
    if (how == Reconnect.REFUSED && !refusalLogged) {
      refusalLogged = true;
      log.warn("event=refused server={} status={} description=\"{}\" retry_every_s={} fix=\"{}\"", lost,
          status.getCode(), status.getDescription(), backoff.cap().toSeconds(),
          Reconnect.fix(status.getCode()));
    } else {
      log.info("event=disconnected server={} status={} description=\"{}\" retry_ms={} next_server={}", lost,
          status.getCode(), status.getDescription(), delay.toMillis(), next);
    }
    heartbeats.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void heartbeat() {
    send(AgentMessage.newBuilder()
        .setHeartbeat(Heartbeat.newBuilder().setSentUnixMillis(clock.millis()))
        .build());
  }

  private void sendMetrics(Metrics m) {
    send(AgentMessage.newBuilder().setMetrics(m).build());
  }

  private synchronized void send(AgentMessage message) {
    if (current == null || current.requests == null) {
      return;
    }
    try {
      current.requests.onNext(message);
    } catch (RuntimeException e) {
      log.debug("event=send_failed error=\"{}\"", e.getMessage());
    }
  }

  private void cancelTasks() {
    if (heartbeatTask != null) {
      heartbeatTask.cancel(false);
    }
    metrics.stop();
  }

  @Override
  public synchronized void close() {
    closed = true;
    cancelTasks();
    if (current != null && current.requests != null) {
      try {
        current.requests.onError(Status.CANCELLED.withDescription("agent stopping").asRuntimeException());
      } catch (RuntimeException e) {
        log.debug("event=close_failed error=\"{}\"", e.getMessage());
      }
    }
    current = null;
  }

  /** One attempt: the server's messages come in here. */
  private final class Stream implements StreamObserver<ServerMessage> {
    StreamObserver<AgentMessage> requests;
    boolean welcomed;

    @Override
    public void onNext(ServerMessage message) {
      switch (message.getMessageCase()) {
        case WELCOME -> welcomed(this, message.getWelcome());
        case ASSIGNMENTS -> {
          log.debug("event=assignments_received count={}", message.getAssignments().getAssignmentsCount());
          assignments.accept(message.getAssignments());
        }
        default -> log.debug("event=unknown_server_message case={}", message.getMessageCase());
      }
    }

    @Override
    public void onError(Throwable t) {
      ended(this, Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      synchronized (ServerConnection.this) {
        if (requests != null && this == current) {
          requests.onCompleted();
        }
      }
      ended(this, Status.OK.withDescription("server closed the stream"));
    }
  }
}
