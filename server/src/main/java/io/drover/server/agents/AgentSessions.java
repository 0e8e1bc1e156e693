package io.drover.server.agents;

import io.drover.api.v1.Assignments;
import io.drover.server.changes.ChangeNotice;
import io.drover.server.store.AssignmentStore;
import io.drover.server.store.CertificateStore;
import io.grpc.Status;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent streams open on this server, one per host (a newer stream of a host replaces the older),
 * and the push of fresh assignments to the hosts a change touches.
 */
public final class AgentSessions {
  private final Map<String, AgentSession> byHost = new ConcurrentHashMap<>();
  private final AssignmentStore assignments;
  private final CertificateStore certificates;

  public AgentSessions(AssignmentStore assignments, CertificateStore certificates) {
    this.assignments = assignments;
    this.certificates = certificates;
  }

  /** Makes {@code session} the host's stream and returns the one it replaced, or null. */
  AgentSession register(AgentSession session) {
    return byHost.put(session.host(), session);
  }

  /** Forgets {@code session}; false when it was not (or no longer) the host's stream. */
  boolean remove(AgentSession session) {
    return byHost.remove(session.host(), session);
  }

  public int size() {
    return byHost.size();
  }

  /**
   * Re-reads the assignments of the touched hosts connected here and pushes those that changed; the
   * stream of a host whose certificate was revoked meanwhile is closed instead.
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
    }
    Map<String, Assignments> sets = assignments.desired(hosts);
    sets.forEach((host, set) -> {
      AgentSession session = byHost.get(host);
      if (session != null) {
        session.push(set);
      }
    });
  }

  /** Ends every stream (the agents reconnect, to this server or another). */
  public void closeAll(Status status) {
    List.copyOf(byHost.values()).forEach(s -> s.close(status));
  }
}
