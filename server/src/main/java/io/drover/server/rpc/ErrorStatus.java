package io.drover.server.rpc;

import io.drover.server.store.Database;
import io.drover.server.store.Fence.FencedException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mapping from a failure to the gRPC status a call answers with, for every service:
 *
 * <ul>
 *   <li>a {@link StatusRuntimeException} or {@link StatusException} (the endpoint chose it): itself;
 *   <li>the database is unreachable ({@link Database#unreachable}): {@code UNAVAILABLE}, "cannot
 *       WHAT: the database is unreachable, try again later";
 *   <li>an {@link IllegalArgumentException}, which says a value the caller sent is wrong: {@code
 *       INVALID_ARGUMENT} with its message;
 *   <li>a fence refusal ({@link FencedException}: another server took the leadership): {@code
 *       ABORTED}, the caller may try again;
 *   <li>anything else is a bug: {@code INTERNAL} with a short error id, logged with the stack trace
 *       under the same id; never {@code UNAVAILABLE}, which clients retry.
 * </ul>
 */
public final class ErrorStatus {
  private static final Logger log = LoggerFactory.getLogger(ErrorStatus.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private ErrorStatus() {}

  /**
   * The status for {@code failure} of a call that tried to {@code what} (e.g. "list tokens"), logged
   * as it deserves.
   */
  public static StatusRuntimeException of(Throwable failure, String what) {
    if (failure instanceof StatusRuntimeException s) {
      return s;
    }
    if (failure instanceof StatusException s) {
      return s.getStatus().asRuntimeException(s.getTrailers());
    }
    if (Database.unreachable(failure)) {
      log.warn("event=call_failed what=\"{}\" reason=database_unreachable error={}", what, failure.toString());
      return Status.UNAVAILABLE.withDescription("cannot " + what + ": the database is unreachable, try again later")
          .withCause(failure).asRuntimeException();
    }
    if (failure instanceof IllegalArgumentException) {
      log.debug("event=call_refused what=\"{}\" reason=invalid_argument error={}", what, failure.getMessage());
      return Status.INVALID_ARGUMENT.withDescription(failure.getMessage()).withCause(failure).asRuntimeException();
    }
    if (failure instanceof FencedException) {
      log.warn("event=call_failed what=\"{}\" reason=fenced error=\"{}\"", what, failure.getMessage());
      return Status.ABORTED.withDescription("cannot " + what + ": another server leads now (" + failure.getMessage()
          + "); try again").withCause(failure).asRuntimeException();
    }
    String id = HexFormat.of().formatHex(bytes());
    log.error("event=call_failed what=\"{}\" error_id={} error={}", what, id, failure.toString(), failure);
    return Status.INTERNAL.withDescription("cannot " + what + ": internal error " + id
        + " (the server log has the details under error_id=" + id + ")").withCause(failure).asRuntimeException();
  }

  private static byte[] bytes() {
    byte[] id = new byte[4];
    RANDOM.nextBytes(id);
    return id;
  }
}
