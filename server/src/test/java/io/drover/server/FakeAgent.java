package io.drover.server;

import io.drover.api.v1.AgentMessage;
import io.drover.api.v1.AgentServiceGrpc;
import io.drover.api.v1.Assignments;
import io.drover.api.v1.Hello;
import io.drover.api.v1.InstanceStatus;
import io.drover.api.v1.ServerMessage;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An agent's Connect stream driven by a test: says Hello, records what the server pushes. */
final class FakeAgent implements AutoCloseable {
  private final List<ServerMessage> received = new ArrayList<>();
  private final StreamObserver<AgentMessage> out;
  private volatile Status ended;
  private boolean halfClosed;

  FakeAgent(Channel channel, String host, Map<String, String> labels) {
    this(channel, Hello.newBuilder().setHost(host).putAllLabels(labels).build());
  }

  /** Says {@code hello} first. */
  FakeAgent(Channel channel, Hello hello) {
    out = AgentServiceGrpc.newStub(channel).connect(new StreamObserver<>() {
      @Override
      public void onNext(ServerMessage m) {
        synchronized (received) {
          received.add(m);
        }
      }

      @Override
      public void onError(Throwable t) {
        ended = Status.fromThrowable(t);
      }

      @Override
      public void onCompleted() {
        ended = Status.OK;
      }
    });
    send(AgentMessage.newBuilder().setHello(hello).build());
  }

  synchronized void send(AgentMessage m) {
    out.onNext(m);
  }

  void report(InstanceStatus status) {
    send(AgentMessage.newBuilder().setStatus(status).build());
  }

  List<ServerMessage> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** The last Assignments pushed, or null before the first. */
  Assignments assignments() {
    return received().reversed().stream()
        .filter(ServerMessage::hasAssignments)
        .map(ServerMessage::getAssignments)
        .findFirst()
        .orElse(null);
  }

  /** The apps and revisions of the last Assignments, as "app@revision". */
  List<String> assigned() {
    Assignments a = assignments();
    return a == null ? null : a.getAssignmentsList().stream().map(x -> x.getApp() + "@" + x.getRevision()).toList();
  }

  Status ended() {
    return ended;
  }

  @Override
  public synchronized void close() {
    if (ended == null && !halfClosed) {
      halfClosed = true;
      out.onCompleted();
    }
  }
}
