package io.drover.server.agents;

import io.drover.api.v1.AgentMessage;
import io.drover.api.v1.Hello;
import io.drover.api.v1.InstanceState;
import io.drover.api.v1.InstanceStatus;
import io.drover.api.v1.ServerMessage;
import io.drover.api.v1.Welcome;
import io.drover.build.Build;
import io.drover.server.changes.ChangeDispatcher;
import io.drover.server.changes.ChangeNotice;
import io.drover.server.changes.LatestOnlySender;
import io.drover.server.metrics.HostGauges;
import io.drover.server.rpc.ErrorStatus;
import io.drover.server.security.Identity;
import io.drover.server.store.Store;
import io.drover.spec.SpecRules;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's Connect stream, from the server's side: expects Hello first, registers the host, then
 * takes heartbeats, instance status and metrics until the stream ends, when the host goes down.
 */
final class AgentConnection implements StreamObserver<AgentMessage> {
  private static final Logger log = LoggerFactory.getLogger(AgentConnection.class);

  private final LatestOnlySender<ServerMessage> sender;
  private final Context context;
  private final Identity.Agent identity;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile AgentSession session;
  /** When the agent last sent anything on this stream: the host's last sign of life when it ends. */
  private volatile Instant lastHeard;

  /** What every connection shares. */
  record Context(
      Store store,
      AgentSessions sessions,
      ChangeDispatcher dispatcher,
      LastSeenBuffer lastSeen,
      SampleBuffer samples,
      StatusReports reports,
      Admission registrations,
      HostGauges gauges,
      Duration heartbeatInterval,
      Duration metricsInterval,
      Clock clock) {}

  AgentConnection(LatestOnlySender<ServerMessage> sender, Context context, Identity.Agent identity) {
    this.sender = sender;
    this.context = context;
    this.identity = identity;
  }

  @Override
  public void onNext(AgentMessage message) {
    if (ended.get()) {
      return;
    }
    lastHeard = context.clock().instant();
    AgentSession current = session;
    if (current == null) {
      if (!message.hasHello()) {
        refuse(Status.INVALID_ARGUMENT.withDescription("the first message on the stream must be Hello"));
        return;
      }
      hello(message.getHello());
      return;
    }
    String host = current.host();
    try {
      switch (message.getMessageCase()) {
        case HEARTBEAT -> context.lastSeen().seen(host, current.id());
        case STATUS -> status(host, message.getStatus());
        case METRICS -> {
          context.gauges().update(host, message.getMetrics());
          context.samples().add(host, message.getMetrics());
        }
        case HELLO -> log.warn("event=hello_ignored host={} reason=already_registered", host);
        case MESSAGE_NOT_SET -> log.debug("event=empty_message host={}", host);
      }
    } catch (RuntimeException e) {
      log.warn("event=agent_message_failed host={} kind={} error={}", host, message.getMessageCase(), e.toString(), e);
    }
  }

  private void hello(Hello said) {
    // the host is the one the certificate names; labels fixed at enrollment win over the agent's own
    String host = identity.host();
    if (!said.getHost().isEmpty() && !said.getHost().equals(host)) {
      refuse(Status.PERMISSION_DENIED.withDescription(
          "hello.host: this agent's certificate is for host " + host + ", not " + said.getHost()));
      return;
    }
    List<String> labelProblems = SpecRules.labelsProblems("hello.labels", said.getLabelsMap());
    if (!labelProblems.isEmpty()) {
      refuse(Status.INVALID_ARGUMENT.withDescription(String.join("; ", labelProblems)));
      return;
    }
    int protocol = said.getProtocol() == 0 ? 1 : said.getProtocol(); // agents before the field speak 1
    if (protocol < Build.OLDEST_AGENT_PROTOCOL || protocol > Build.AGENT_PROTOCOL) {
      refuse(Status.FAILED_PRECONDITION.withDescription("this server (drover " + Build.version()
          + ") serves agent protocol " + Build.OLDEST_AGENT_PROTOCOL + " to " + Build.AGENT_PROTOCOL + ", but the agent on "
          + host + " (drover " + said.getAgentVersion() + ") speaks " + protocol + ": install drover-agent "
          + Build.version() + " on " + host));
      return;
    }
    Hello hello = said.toBuilder().setHost(host).putAllLabels(identity.labels())
        .setFacts(said.getFacts().toBuilder().setAgentVersion(said.getAgentVersion())).build();
    AgentSession fresh = new AgentSession(host, UUID.randomUUID().toString(), identity.serial(), sender, this::close);
    ChangeNotice notice;
    try {
      // a connect storm queues here for its turn rather than draining the connection pool
      notice = context.registrations().call(() -> context.store().hosts().register(hello, fresh.id()));
    } catch (RuntimeException e) {
      refuse(ErrorStatus.of(e, "register host " + host).getStatus());
      return;
    }
    sender.sendNow(ServerMessage.newBuilder().setWelcome(Welcome.newBuilder()
        .setHost(host)
        .setHeartbeatIntervalSeconds(seconds(context.heartbeatInterval()))
        .setMetricsIntervalSeconds(seconds(context.metricsInterval())))
        .build());
    session = fresh;
    // the Hello counts as the agent's first heartbeat: the registration may have waited its turn and
    // written last_seen seconds before it committed, and the agent heartbeats only an interval later
    context.lastSeen().seen(host, fresh.id());
    AgentSession replaced = context.sessions().register(fresh);
    if (replaced != null) {
      log.info("event=agent_replaced host={} reason=newer_stream", host);
      replaced.close(Status.ABORTED.withDescription("host " + host + " connected again on a newer stream"));
    }
    log.info("event=agent_connected host={} agent_version={} instances={}", host, hello.getAgentVersion(),
        hello.getInstancesCount());
    context.dispatcher().submit(notice.merge(ChangeNotice.hosts(Set.of(host))));
  }

  private void status(String host, InstanceStatus status) {
    if (status.getState() == InstanceState.UNRECOGNIZED || status.getState() == InstanceState.INSTANCE_STATE_UNSPECIFIED) {
      // a newer agent's state this server does not know: record nothing rather than a guess
      log.warn("event=instance_status_ignored host={} app={} revision={} reason=unknown_state state={}", host,
          status.getApp(), status.getRevision(), status.getStateValue());
      return;
    }
    log.debug("event=instance_status host={} app={} revision={} state={}", host, status.getApp(),
        status.getRevision(), status.getState());
    context.reports().add(new StatusReports.Report(host, status));
  }

  @Override
  public void onError(Throwable t) {
    sender.abandon();
    end("error: " + Status.fromThrowable(t).getCode());
  }

  @Override
  public void onCompleted() {
    sender.close(Status.OK);
    end("completed");
  }

  /** The client cancelled (or the connection broke). */
  void cancelled() {
    sender.abandon();
    end("cancelled");
  }

  private void refuse(Status status) {
    log.warn("event=agent_refused reason={}", status.getDescription());
    sender.close(status);
    end("refused");
  }

  /** Runs once per stream: forgets the session and marks the host down, unless a newer stream took over. */
  private void end(String why) {
    if (ended.getAndSet(true)) {
      return;
    }
    AgentSession current = session;
    if (current == null || !context.sessions().remove(current)) {
      return;
    }
    context.gauges().remove(current.host());
    context.lastSeen().forget(current.host(), current.id());
    try {
      boolean down = context.registrations().call(
          () -> context.store().hosts().markDown(current.host(), current.id(), lastHeard));
      log.info("event=agent_disconnected host={} why={} marked_down={}", current.host(), why, down);
    } catch (RuntimeException e) {
      log.warn("event=mark_down_failed host={} error={}", current.host(), e.toString());
    }
  }

  /** Ends the stream from the server's side (shutdown, or replaced by a newer stream). */
  void close(Status status) {
    sender.close(status);
    end("closed by server");
  }

  private static int seconds(Duration d) {
    return (int) Math.max(1, d.toSeconds());
  }
}
