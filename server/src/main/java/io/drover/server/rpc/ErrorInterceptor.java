package io.drover.server.rpc;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catches what escapes an endpoint's handler and closes the call with the status {@link
 * ErrorStatus} maps it to, so every service answers failures the same way (without it gRPC answers
 * UNKNOWN). Install it innermost, next to the service, so the other interceptors see the status.
 */
public final class ErrorInterceptor implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(ErrorInterceptor.class);

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    GuardedCall<Q, R> guarded = new GuardedCall<>(call, describe(call.getMethodDescriptor().getBareMethodName()));
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(guarded, headers);
    } catch (RuntimeException e) {
      guarded.fail(e);
      return new ServerCall.Listener<>() {};
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        try {
          super.onMessage(message);
        } catch (RuntimeException e) {
          guarded.fail(e);
        }
      }

      @Override
      public void onHalfClose() {
        try {
          super.onHalfClose();
        } catch (RuntimeException e) {
          guarded.fail(e);
        }
      }

      @Override
      public void onReady() {
        try {
          super.onReady();
        } catch (RuntimeException e) {
          guarded.fail(e);
        }
      }

      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } catch (RuntimeException e) {
          log.warn("event=cancel_handler_failed what=\"{}\" error={}", guarded.what, e.toString(), e);
        }
      }

      @Override
      public void onComplete() {
        try {
          super.onComplete();
        } catch (RuntimeException e) {
          log.warn("event=complete_handler_failed what=\"{}\" error={}", guarded.what, e.toString(), e);
        }
      }
    };
  }

  /** A method name as words: {@code ListTokens} is "list tokens". */
  static String describe(String method) {
    return method.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
  }

  /** The call, remembering whether it was closed, so a failure after the answer is only logged. */
  private static final class GuardedCall<Q, R> extends SimpleForwardingServerCall<Q, R> {
    private final String what;
    private volatile boolean closed;

    GuardedCall(ServerCall<Q, R> call, String what) {
      super(call);
      this.what = what;
    }

    @Override
    public void close(Status status, Metadata trailers) {
      closed = true;
      super.close(status, trailers);
    }

    void fail(RuntimeException e) {
      StatusRuntimeException status = ErrorStatus.of(e, what);
      if (closed) {
        log.warn("event=failure_after_close what=\"{}\" status={}", what, status.getStatus().getCode());
        return;
      }
      Metadata trailers = status.getTrailers() == null ? new Metadata() : status.getTrailers();
      close(status.getStatus(), trailers);
    }
  }
}
