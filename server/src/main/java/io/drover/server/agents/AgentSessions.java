package io.drover.server.agents;

import io.drover.api.v1.Assignment;
import io.drover.api.v1.Assignments;
import io.drover.server.changes.ChangeNotice;
import io.drover.server.secrets.SpecSecrets;
import io.drover.server.store.AssignmentStore;
import io.drover.server.store.AssignmentStore.HostAssignment;
import io.drover.server.store.CertificateStore;
import io.grpc.Status;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent streams open on this server, one per host (a newer stream of a host replaces the older),
 * and the push of fresh assignments to the hosts a change touches.
 */
public final class AgentSessions {
  private static final Logger log = LoggerFactory.getLogger(AgentSessions.class);

  private final Map<String, AgentSession> byHost = new ConcurrentHashMap<>();
  private final AssignmentStore assignments;
  private final CertificateStore certificates;
  private final SpecSecrets secrets;

  /**
   * Pushes assignments read from {@code assignments}, with the secrets of the assigned apps opened by
   * {@code secrets}; closes the streams whose certificates {@code certificates} says are revoked.
   */
  public AgentSessions(AssignmentStore assignments, CertificateStore certificates, SpecSecrets secrets) {
    this.assignments = assignments;
    this.certificates = certificates;
    this.secrets = secrets;
  }

  /** Makes {@code session} the host's stream and returns the one it replaced, or null. */
  AgentSession register(AgentSession session) {
    return byHost.put(session.host(), session);
  }

  /** Forgets {@code session}; false when it was not (or no longer) the host's stream. */
  boolean remove(AgentSession session) {
    return byHost.remove(session.host(), session);
  }

  /**
   * Whether the assignments last pushed to {@code host}'s stream on this server name bundle {@code
   * sha256}: a download the server can allow from memory. False when the host has no stream here.
   */
  boolean pushedBundle(String host, String sha256) {
    AgentSession session = byHost.get(host);
    return session != null && session.pushedBundle(sha256);
  }

  public int size() {
    return byHost.size();
  }

  /**
   * Re-reads the assignments of the touched hosts connected here and pushes those that changed; the
   * stream of a host whose certificate was revoked meanwhile is closed instead. This is the only place
   * secrets are opened, for the hosts the app is assigned to.
   */
  public void push(ChangeNotice notice) {
    List<String> hosts = byHost.keySet().stream().filter(notice::touchesHost).toList();
    if (hosts.isEmpty()) {
      return;
    }
    Map<String, AgentSession> touched = new HashMap<>();
    hosts.forEach(h -> {
      AgentSession s = byHost.get(h);
      if (s != null) {
        touched.put(s.serial(), s);
      }
    });
    for (String serial : certificates.revokedAmong(touched.keySet())) {
      AgentSession s = touched.get(serial);
      s.close(Status.UNAUTHENTICATED.withDescription("the certificate of host " + s.host() + " was revoked"));
      hosts = hosts.stream().filter(h -> !h.equals(s.host())).toList();
    }
    Map<String, List<HostAssignment>> sets = assignments.desired(hosts);
    sets.forEach((host, set) -> {
      AgentSession session = byHost.get(host);
      if (session == null) {
        return;
      }
      Assignments opened;
      try {
        opened = secrets.open(wire(set));
      } catch (RuntimeException e) {
        // the host keeps what it runs rather than getting an app without its secrets
        log.error("event=assignments_not_sent host={} error=\"{}\"", host, e.getMessage());
        return;
      }
      session.push(opened);
    });
  }

  /** A host's assignments as the agent receives them (secrets still sealed). */
  private static Assignments wire(List<HostAssignment> set) {
    Assignments.Builder out = Assignments.newBuilder();
    set.forEach(a -> out.addAssignments(Assignment.newBuilder().setApp(a.app()).setRevision(a.revision())
        .setSpec(a.spec())));
    return out.build();
  }

  /** Ends every stream (the agents reconnect, to this server or another). */
  public void closeAll(Status status) {
    List.copyOf(byHost.values()).forEach(s -> s.close(status));
  }
}
