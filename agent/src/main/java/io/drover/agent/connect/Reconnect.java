package io.drover.agent.connect;

import io.grpc.Status;

/**
 * How the agent tries again after its stream ended, by the gRPC status it ended with. The agent never
 * gives up: a server that is down, overloaded or restarting ({@code UNAVAILABLE}, {@code
 * DEADLINE_EXCEEDED}, {@code RESOURCE_EXHAUSTED}, {@code ABORTED}, {@code INTERNAL}, and every
 * other status) is tried again with the {@link Backoff}; a server that refuses the agent ({@code
 * UNAUTHENTICATED}: a revoked or expired certificate; {@code PERMISSION_DENIED}: a Hello for another
 * host than the certificate names) will keep refusing until an operator acts, so it is asked only
 * at the backoff's cap, and the agent says once what to do.
 */
enum Reconnect {
  /** The next attempt after the next backoff delay. */
  BACK_OFF,
  /** The next attempt at the capped interval; the operator must act. */
  REFUSED;

  static Reconnect after(Status.Code code) {
    return switch (code) {
      case UNAUTHENTICATED, PERMISSION_DENIED -> REFUSED;
      default -> BACK_OFF;
    };
  }

  /** What the operator must do about a refusal with {@code code}, for the one line the agent logs. */
  static String fix(Status.Code code) {
    return code == Status.Code.PERMISSION_DENIED
        ? "start the agent with --name set to the host its certificate names, or enroll it anew under this name"
        : "the server no longer accepts this agent's certificate (revoked by drover host remove, or expired): stop "
            + "the agent, delete identity.pem from its --data-dir, start it with a new enrollment token (--token) and "
            + "approve it with drover host approve";
  }
}
