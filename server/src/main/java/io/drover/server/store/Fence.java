package io.drover.server.store;

import org.jooq.DSLContext;

/**
 * The check a leader-only write runs first inside its transaction: it throws {@link FencedException}
 * when the writer no longer holds the leadership it acted on, so the transaction rolls back.
 */
@FunctionalInterface
public interface Fence {
  /** Writes for a single server (tests, one-server setups): never refuses. */
  Fence NONE = tx -> {};

  void check(DSLContext tx);

  /** A leader-only write refused because a newer leader took over. */
  final class FencedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public FencedException(String message) {
      super(message);
    }
  }
}
