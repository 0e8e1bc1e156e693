package io.drover.cli.command;

import io.drover.api.v1.AccessServiceGrpc;
import io.drover.api.v1.AccessServiceGrpc.AccessServiceBlockingStub;
import io.drover.api.v1.OperatorServiceGrpc;
import io.drover.api.v1.OperatorServiceGrpc.OperatorServiceBlockingStub;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.drover.tls.BearerToken;
import io.drover.tls.ClientChannels;
import io.drover.tls.ServerTrust;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The CLI's channel to a Drover server. An UNAVAILABLE status is reworded to say which server could
 * not be reached and why, e.g. {@code cannot reach server at 127.0.0.1:7070 (connection refused)}.
 */
public final class OperatorConnection implements AutoCloseable {
  /** The deadline of every unary call. */
  public static final Duration UNARY_DEADLINE = Duration.ofSeconds(30);

  private final String address;
  private final ManagedChannel managed;
  private final Channel channel;

  private OperatorConnection(String address, ManagedChannel managed, BearerToken token) {
    this.address = address;
    this.managed = managed;
    Channel withToken = token == null ? managed : ClientInterceptors.intercept(managed, token);
    this.channel = ClientInterceptors.intercept(withToken, new Unreachable());
  }

  /**
   * Opens a TLS channel to {@code address} (host:port) that trusts the server as {@code trust} says and
   * sends {@code token} (when not null) on every call; connects on the first call.
   */
  public static OperatorConnection open(String address, ServerTrust trust, String token) {
    try {
      ManagedChannel managed = ClientChannels.tls(address, trust, null, null).build();
      return new OperatorConnection(address, managed, token == null ? null : new BearerToken(token));
    } catch (IllegalArgumentException e) {
      throw new CommandFailure("invalid server address or token for " + address + ": " + e.getMessage(), e);
    }
  }

  public String address() {
    return address;
  }

  public Channel channel() {
    return channel;
  }

  /** A blocking stub whose next call has the unary deadline. */
  public OperatorServiceBlockingStub unary() {
    return OperatorServiceGrpc.newBlockingStub(channel).withDeadlineAfter(UNARY_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A blocking stub of the access service (tokens, hosts, audit) whose next call has the unary deadline. */
  public AccessServiceBlockingStub access() {
    return AccessServiceGrpc.newBlockingStub(channel).withDeadlineAfter(UNARY_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A blocking stub for a stream that may run until {@code deadline}. */
  public OperatorServiceBlockingStub streaming(Duration deadline) {
    return OperatorServiceGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    managed.shutdownNow();
    try {
      managed.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The innermost cause's message, e.g. "connection refused", else the status description. */
  static String reason(Status status) {
    Throwable cause = status.getCause();
    String reason = null;
    while (cause != null) {
      if (cause.getMessage() != null) {
        reason = cause.getMessage();
      }
      cause = cause.getCause();
    }
    if (reason == null) {
      return status.getDescription() != null ? status.getDescription() : "unavailable";
    }
    int colon = reason.indexOf(':');
    if (colon > 0) {
      reason = reason.substring(0, colon);
    }
    return reason.toLowerCase(Locale.ROOT);
  }

  private final class Unreachable implements ClientInterceptor {
    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void start(Listener<R> listener, Metadata headers) {
          super.start(
              new SimpleForwardingClientCallListener<>(listener) {
                @Override
                public void onClose(Status status, Metadata trailers) {
                  if (status.getCode() == Status.Code.UNAVAILABLE) {
                    status =
                        Status.UNAVAILABLE
                            .withDescription("cannot reach server at " + address + " (" + reason(status) + ")")
                            .withCause(status.asRuntimeException());
                  }
                  super.onClose(status, trailers);
                }
              },
              headers);
        }
      };
    }
  }
}
