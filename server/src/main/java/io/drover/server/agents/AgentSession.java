package io.drover.server.agents;

import io.drover.api.v1.Assignments;
import io.drover.api.v1.ServerMessage;
import io.drover.server.changes.LatestOnlySender;
import io.grpc.Status;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** One open agent stream on this server: the host it speaks for and the way to push to it. */
final class AgentSession {
  private final String host;
  private final String id;
  private final String serial;
  private final LatestOnlySender<ServerMessage> sender;
  private final Consumer<Status> closer;
  /** The bundles of the set last pushed: what this host may download without asking the database. */
  private volatile Set<String> bundles = Set.of();

  /**
   * @param closer ends the stream from the server's side
   */
  AgentSession(String host, String id, String serial, LatestOnlySender<ServerMessage> sender,
      Consumer<Status> closer) {
    this.host = host;
    this.id = id;
    this.serial = serial;
    this.sender = sender;
    this.closer = closer;
  }

  String host() {
    return host;
  }

  /** Unique per stream; the host row remembers the id of the stream that registered it last. */
  String id() {
    return id;
  }

  /** The serial of the client certificate the stream was opened with. */
  String serial() {
    return serial;
  }

  /** Pushes the host's complete assignment set, unless it equals the last one pushed. */
  void push(Assignments assignments) {
    bundles = assignments.getAssignmentsList().stream().map(a -> a.getSpec().getBundleSha256())
        .collect(Collectors.toUnmodifiableSet());
    sender.offer(ServerMessage.newBuilder().setAssignments(assignments).build());
  }

  /** Whether the set last pushed to this host names bundle {@code sha256}. */
  boolean pushedBundle(String sha256) {
    return bundles.contains(sha256);
  }

  void close(Status status) {
    closer.accept(status);
  }
}
