package io.drover.agent.reconcile;

import io.drover.api.v1.InstanceState;
import io.drover.api.v1.InstanceStatus;
import java.util.List;

/** Where the agent's instance statuses go (to the server, when connected). */
@FunctionalInterface
public interface StatusReporter {
  void report(InstanceStatus status);

  default void report(String app, long revision, InstanceState state, boolean healthy, String reason) {
    report(app, revision, state, healthy, reason, List.of());
  }

  default void report(String app, long revision, InstanceState state, boolean healthy, String reason, List<String> logTail) {
    report(InstanceStatus.newBuilder()
        .setApp(app)
        .setRevision(revision)
        .setState(state)
        .setHealthy(healthy)
        .setReason(reason == null ? "" : reason)
        .addAllLogTail(logTail)
        .build());
  }
}
