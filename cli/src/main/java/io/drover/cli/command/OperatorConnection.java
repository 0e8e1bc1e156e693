package io.drover.cli.command;

import io.drover.api.v1.AccessServiceGrpc;
import io.drover.api.v1.AccessServiceGrpc.AccessServiceBlockingStub;
import io.drover.api.v1.OperatorServiceGrpc;
import io.drover.api.v1.OperatorServiceGrpc.OperatorServiceBlockingStub;
import io.drover.tls.BearerToken;
import io.drover.tls.ClientChannels;
import io.drover.tls.ServerTrust;
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
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The CLI's channel to a Drover server. Calls are not retried: a unary call that fails reports at
 * once; streams that wait are re-opened by {@link StatusWatch}. An UNAVAILABLE status is reworded by
 * {@link Unreachable} to say which server could not be reached and why, e.g. {@code cannot reach
 * server at 127.0.0.1:7070 (connection refused)}.
 */
public final class OperatorConnection implements AutoCloseable {
  /** The deadline of every unary call. */
  public static final Duration UNARY_DEADLINE = Duration.ofSeconds(30);

  private final ServerAddress address;
  private final ManagedChannel managed;
  private final Channel channel;

  private OperatorConnection(ServerAddress address, ManagedChannel managed, BearerToken token) {
    this.address = address;
    this.managed = managed;
    Channel withToken = token == null ? managed : ClientInterceptors.intercept(managed, token);
    this.channel = ClientInterceptors.intercept(withToken, new Reword());
  }

  /**
   * Opens a TLS channel to {@code address} that trusts the server as {@code trust} says and sends
   * {@code token} (when not null) on every call; connects on the first call.
   */
  public static OperatorConnection open(ServerAddress address, ServerTrust trust, String token) {
    BearerToken bearer;
    try {
      bearer = token == null ? null : new BearerToken(token);
    } catch (IllegalArgumentException e) {
      throw new CommandFailure("the operator token is not usable: " + e.getMessage(), e);
    }
    return new OperatorConnection(address, ClientChannels.tls(address.toString(), trust, null, null).build(), bearer);
  }

  public ServerAddress address() {
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

  /** Dials again at the next call instead of waiting out the channel's reconnect backoff. */
  void reconnectNow() {
    managed.resetConnectBackoff();
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

  /** Rewords UNAVAILABLE as {@link Unreachable} says; every other status passes as the server sent it. */
  private final class Reword implements ClientInterceptor {
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
                    status = Status.UNAVAILABLE
                        .withDescription(Unreachable.describe(address, status))
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
