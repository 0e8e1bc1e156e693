package io.drover.agent;

import com.google.protobuf.ByteString;
import io.drover.api.v1.AgentMessage;
import io.drover.api.v1.AgentServiceGrpc;
import io.drover.api.v1.Assignments;
import io.drover.api.v1.BundleChunk;
import io.drover.api.v1.DownloadBundleRequest;
import io.drover.api.v1.Hello;
import io.drover.api.v1.InstanceState;
import io.drover.api.v1.InstanceStatus;
import io.drover.api.v1.ServerMessage;
import io.drover.api.v1.Welcome;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A hand-written stand-in for the server's AgentService: welcomes agents with one-second intervals,
 * records what they send, pushes the assignments the test sets (also to each agent that connects)
 * and serves bundles from memory.
 */
final class FakeAgentService extends AgentServiceGrpc.AgentServiceImplBase {
  final Map<String, byte[]> bundles = new ConcurrentHashMap<>();
  final List<AgentMessage> received = new CopyOnWriteArrayList<>();
  private volatile StreamObserver<ServerMessage> agent;
  private volatile Assignments assignments;

  @Override
  public StreamObserver<AgentMessage> connect(StreamObserver<ServerMessage> responses) {
    return new StreamObserver<>() {
      @Override
      public void onNext(AgentMessage message) {
        received.add(message);
        if (message.hasHello()) {
          synchronized (FakeAgentService.this) {
            agent = responses;
            responses.onNext(ServerMessage.newBuilder()
                .setWelcome(Welcome.newBuilder().setHost(message.getHello().getHost())
                    .setHeartbeatIntervalSeconds(1).setMetricsIntervalSeconds(1))
                .build());
            if (assignments != null) {
              responses.onNext(ServerMessage.newBuilder().setAssignments(assignments).build());
            }
          }
        }
      }

      @Override
      public void onError(Throwable t) {
        synchronized (FakeAgentService.this) {
          if (agent == responses) {
            agent = null;
          }
        }
      }

      @Override
      public void onCompleted() {
        onError(null);
        responses.onCompleted();
      }
    };
  }

  @Override
  public void downloadBundle(DownloadBundleRequest request, StreamObserver<BundleChunk> responses) {
    byte[] bundle = bundles.get(request.getSha256());
    if (bundle == null) {
      responses.onError(Status.NOT_FOUND.withDescription("no bundle " + request.getSha256()).asRuntimeException());
      return;
    }
    for (int off = 0; off < bundle.length; off += 16 * 1024) {
      responses.onNext(BundleChunk.newBuilder()
          .setData(ByteString.copyFrom(bundle, off, Math.min(16 * 1024, bundle.length - off)))
          .build());
    }
    responses.onCompleted();
  }

  /** Sets the desired set and pushes it to the connected agent, if any. */
  synchronized void push(Assignments next) {
    assignments = next;
    if (agent != null) {
      agent.onNext(ServerMessage.newBuilder().setAssignments(next).build());
    }
  }

  List<Hello> hellos() {
    return received.stream().filter(AgentMessage::hasHello).map(AgentMessage::getHello).toList();
  }

  List<InstanceStatus> statuses() {
    return received.stream().filter(AgentMessage::hasStatus).map(AgentMessage::getStatus).toList();
  }

  long count(AgentMessage.MessageCase kind) {
    return received.stream().filter(m -> m.getMessageCase() == kind).count();
  }

  /** The latest status the agent sent for the app, or null. */
  InstanceStatus latest(String app) {
    List<InstanceStatus> all = statuses().stream().filter(s -> s.getApp().equals(app)).toList();
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  boolean reached(String app, long revision, InstanceState state) {
    InstanceStatus s = latest(app);
    return s != null && s.getRevision() == revision && s.getState() == state;
  }
}
