package io.drover.server.agents;

import io.drover.api.v1.Assignments;
import io.drover.api.v1.ServerMessage;
import io.drover.server.changes.LatestOnlySender;
import io.grpc.Status;
import java.util.function.Consumer;

/** One open agent stream on this server: the host it speaks for and the way to push to it. */
final class AgentSession {
  private final String host;
  private final String id;
  private final String serial;
  private final LatestOnlySender<ServerMessage> sender;
  private final Consumer<Status> closer;

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
    sender.offer(ServerMessage.newBuilder().setAssignments(assignments).build());
  }

  void close(Status status) {
    closer.accept(status);
  }
}
