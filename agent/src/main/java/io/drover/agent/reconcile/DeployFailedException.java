package io.drover.agent.reconcile;

import java.util.List;

/** A deployment that did not come up; the previous revision (if any) keeps serving. */
final class DeployFailedException extends RuntimeException {
  private final transient List<String> logTail;
  private final boolean retryable;

  DeployFailedException(String message, List<String> logTail, boolean retryable, Throwable cause) {
    super(message, cause);
    this.logTail = List.copyOf(logTail);
    this.retryable = retryable;
  }

  List<String> logTail() {
    return logTail;
  }

  /** True when trying the same assignment again may succeed (e.g. the bundle could not be fetched). */
  boolean retryable() {
    return retryable;
  }
}
