package io.drover.server.store;

import java.time.Instant;
import java.util.List;

/**
 * Something operators may be told of: its kind, the app and host it concerns (empty when none), a
 * line of text for a chat, when, and the key that makes recording it idempotent.
 */
public record NotifyEvent(String kind, String app, String host, String text, Instant at, String dedupeKey) {

  public static final String ROLLOUT_FAILED = "rollout-failed";
  public static final String ROLLOUT_REVERTED = "rollout-reverted";
  public static final String HOST_DOWN = "host-down";
  public static final String HOST_UP = "host-up";
  public static final String CRASH_LOOP = "crash-loop";

  /** Every kind, in the order `drover notify add --events` lists them. */
  public static final List<String> KINDS = List.of(ROLLOUT_FAILED, ROLLOUT_REVERTED, HOST_DOWN, HOST_UP, CRASH_LOOP);
}
