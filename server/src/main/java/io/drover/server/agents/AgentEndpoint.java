package io.drover.server.agents;

import io.drover.api.v1.AgentMessage;
import io.drover.api.v1.AgentServiceGrpc;
import io.drover.api.v1.BundleChunk;
import io.drover.api.v1.DownloadBundleRequest;
import io.drover.api.v1.ServerMessage;
import io.drover.server.changes.ChangeDispatcher;
import io.drover.server.changes.LatestOnlySender;
import io.drover.server.metrics.HostGauges;
import io.drover.server.rpc.ErrorStatus;
import io.drover.server.security.Identity;
import io.drover.server.store.BundleStore;
import io.drover.server.store.Store;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The AgentService: the agents' Connect streams and bundle downloads. Closing it stops the writing
 * of status reports.
 */
public final class AgentEndpoint extends AgentServiceGrpc.AgentServiceImplBase implements AutoCloseable {
  /**
   * How many bundle reads and download authorizations may use the database at once (of the pool's
   * connections); more wait their turn.
   */
  static final int DOWNLOAD_DATABASE_PERMITS = 3;
  /**
   * How many registrations (Hello) and ends of streams (marking the host down) may use the database at
   * once; more wait their turn.
   */
  static final int REGISTRATION_PERMITS = 4;

  private final AgentConnection.Context context;
  private final Admission downloads = new Admission(DOWNLOAD_DATABASE_PERMITS);
  private final BundleCache bundles;

  public AgentEndpoint(Store store, AgentSessions sessions, ChangeDispatcher dispatcher, LastSeenBuffer lastSeen,
      SampleBuffer samples, HostGauges gauges, Duration heartbeatInterval, Duration metricsInterval, Clock clock) {
    this.context = new AgentConnection.Context(store, sessions, dispatcher, lastSeen, samples,
        new StatusReports(batch -> store.assignments().reportAll(List.copyOf(batch))),
        new Admission(REGISTRATION_PERMITS), gauges,
        heartbeatInterval, metricsInterval, clock);
    this.bundles = new BundleCache(store.bundles()::file, downloads);
  }

  @Override
  public StreamObserver<AgentMessage> connect(StreamObserver<ServerMessage> responses) {
    var out = (ServerCallStreamObserver<ServerMessage>) responses;
    LatestOnlySender<ServerMessage> sender = new LatestOnlySender<>(out);
    AgentConnection connection = new AgentConnection(sender, context, (Identity.Agent) Identity.current());
    out.setOnReadyHandler(sender::drain);
    out.setOnCancelHandler(connection::cancelled);
    return connection;
  }

  @Override
  public void downloadBundle(DownloadBundleRequest request, StreamObserver<BundleChunk> responses) {
    var out = (ServerCallStreamObserver<BundleChunk>) responses;
    String sha = request.getSha256();
    if (!BundleStore.validSha256(sha)) {
      out.onError(Status.INVALID_ARGUMENT
          .withDescription("sha256: \"" + sha + "\" is not a lower-case hex sha256").asRuntimeException());
      return;
    }
    String host = ((Identity.Agent) Identity.current()).host();
    try {
      // what was pushed to the host's stream here answers without a query; otherwise (its stream is
      // on another server, or a newer set is on its way) the database does, one turn at a time
      boolean assigned = context.sessions().pushedBundle(host, sha) || downloads.call(() -> context.store()
          .assignments().desired(List.of(host)).getOrDefault(host, List.of()).stream()
          .anyMatch(a -> a.spec().getBundleSha256().equals(sha)));
      if (!assigned) {
        out.onError(Status.PERMISSION_DENIED.withDescription("bundle " + sha + " is not assigned to host " + host)
            .asRuntimeException());
        return;
      }
      Optional<Path> file = bundles.file(sha);
      if (file.isEmpty()) {
        out.onError(Status.NOT_FOUND.withDescription("bundle " + sha + " not found").asRuntimeException());
        return;
      }
      BundleDownload.start(out, sha, file.get());
    } catch (IOException | RuntimeException e) {
      out.onError(ErrorStatus.of(e, "read bundle " + sha));
    }
  }

  @Override
  public void close() {
    context.reports().close();
  }
}
