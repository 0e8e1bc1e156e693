package io.drover.e2e;

import io.drover.agent.connect.AgentIdentity;
import io.drover.agent.connect.Backoff;
import io.drover.agent.connect.MetricsFeed;
import io.drover.agent.connect.ServerChannels;
import io.drover.agent.connect.ServerConnection;
import io.drover.api.v1.AgentServiceGrpc;
import io.drover.api.v1.Assignment;
import io.drover.api.v1.Assignments;
import io.drover.api.v1.BundleChunk;
import io.drover.api.v1.DownloadBundleRequest;
import io.drover.api.v1.Hello;
import io.drover.api.v1.InstanceState;
import io.drover.api.v1.InstanceStatus;
import io.drover.api.v1.Metrics;
import io.drover.tls.ClientChannels;
import io.drover.tls.ServerTrust;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One simulated agent of {@link FleetSim}: the agent's own {@link ServerConnection} (Hello,
 * heartbeats, backoff, failover) over its own mTLS channel on the event loop all simulated agents
 * share. Its reconcile is simulated: for each assigned revision it downloads the bundle (the real
 * RPC, the bytes discarded) and reports {@code starting}, then {@code running} and healthy; nothing
 * runs on the host.
 */
final class FleetSimAgent implements AutoCloseable {
  /** What the simulator records of every agent. */
  interface Recorder {
    /** A Hello was answered by a Welcome after {@code nanos}. */
    void welcomed(long nanos);

    /** A stream or download call ended with {@code status} (not OK). */
    void callFailed(String method, Status status);

    /** Assignments naming {@code app}@{@code revision} arrived. */
    void received(String host, String app, long revision, long atNanos);

    /** The agent reported {@code app}@{@code revision} running and healthy. */
    void running(String host, String app, long revision, long atNanos);

    void downloadFailed(String host, String sha256, Throwable error);
  }

  private final String host;
  private final ServerChannels channels;
  private final ServerConnection connection;
  private final ExecutorService work;
  private final Recorder recorder;
  /** App to the revision last made "running". */
  private final Map<String, Long> running = new ConcurrentHashMap<>();

  FleetSimAgent(String host, Map<String, String> labels, AgentIdentity identity, List<String> servers,
      EventLoopGroup eventLoop, ScheduledExecutorService heartbeats, ExecutorService work, Recorder recorder) {
    this.host = host;
    this.work = work;
    this.recorder = recorder;
    ClientInterceptor timing = new Timing(recorder);
    this.channels = new ServerChannels(servers, address ->
        ClientChannels.tls(address, ServerTrust.of(identity.ca()), identity.key(), identity.certificate())
            .eventLoopGroup(eventLoop)
            .channelType(NioSocketChannel.class)
            .directExecutor()
            .intercept(timing)
            .keepAliveTime(30, TimeUnit.SECONDS)
            .keepAliveTimeout(10, TimeUnit.SECONDS)
            .build(), ServerChannels.startFor(host, servers.size()));
    Hello hello = Hello.newBuilder().setHost(host).putAllLabels(labels).setAgentVersion("fleetsim").build();
    this.connection = new ServerConnection(channels, heartbeats,
        Backoff.standard(() -> ThreadLocalRandom.current().nextDouble()), () -> hello, NO_METRICS, this::receive,
        Clock.systemUTC());
  }

  void start() {
    connection.start();
  }

  boolean connected() {
    return connection.connected();
  }

  String host() {
    return host;
  }

  /** On the event loop: hand the set to a virtual thread, as the agent hands it to its reconcile thread. */
  private void receive(Assignments set) {
    long at = System.nanoTime();
    for (Assignment a : set.getAssignmentsList()) {
      recorder.received(host, a.getApp(), a.getRevision(), at);
    }
    work.execute(() -> reconcile(set));
  }

  private void reconcile(Assignments set) {
    for (Assignment a : set.getAssignmentsList()) {
      if (running.getOrDefault(a.getApp(), 0L) == a.getRevision()) {
        continue;
      }
      connection.report(status(a, InstanceState.INSTANCE_STATE_STARTING, false));
      try {
        download(a.getSpec().getBundleSha256());
      } catch (RuntimeException e) {
        recorder.downloadFailed(host, a.getSpec().getBundleSha256(), e);
        connection.report(status(a, InstanceState.INSTANCE_STATE_FAILED, false).toBuilder()
            .setReason("download failed: " + e.getMessage()).build());
        continue;
      }
      running.put(a.getApp(), a.getRevision());
      connection.report(status(a, InstanceState.INSTANCE_STATE_RUNNING, true));
      recorder.running(host, a.getApp(), a.getRevision(), System.nanoTime());
    }
  }

  private void download(String sha256) {
    Iterator<BundleChunk> chunks = AgentServiceGrpc.newBlockingStub(channels).withDeadlineAfter(60, TimeUnit.SECONDS)
        .downloadBundle(DownloadBundleRequest.newBuilder().setSha256(sha256).build());
    while (chunks.hasNext()) {
      chunks.next();
    }
  }

  private static InstanceStatus status(Assignment a, InstanceState state, boolean healthy) {
    return InstanceStatus.newBuilder().setApp(a.getApp()).setRevision(a.getRevision()).setState(state)
        .setHealthy(healthy).build();
  }

  @Override
  public void close() {
    connection.close();
    try {
      channels.close(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final MetricsFeed NO_METRICS = new MetricsFeed() {
    @Override
    public void start(Duration every, Consumer<Metrics> send) {}

    @Override
    public void stop() {}
  };

  /** Times Hello→Welcome on the Connect stream and records every call that ends in an error. */
  private record Timing(Recorder recorder) implements ClientInterceptor {
    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      boolean stream = method.getBareMethodName().equals("Connect");
      return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void start(Listener<R> listener, Metadata headers) {
          long started = System.nanoTime();
          super.start(new SimpleForwardingClientCallListener<>(listener) {
            private boolean first = true;

            @Override
            public void onMessage(R message) {
              if (stream && first) {
                first = false;
                recorder.welcomed(System.nanoTime() - started);
              }
              super.onMessage(message);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
              if (!status.isOk() && status.getCode() != Status.Code.CANCELLED) {
                recorder.callFailed(method.getBareMethodName(), status);
              }
              super.onClose(status, trailers);
            }
          }, headers);
        }
      };
    }
  }
}
