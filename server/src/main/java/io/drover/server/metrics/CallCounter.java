package io.drover.server.metrics;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counts finished gRPC calls by method and status code ({@code drover_grpc_calls_total}). */
public final class CallCounter implements ServerInterceptor {
  private final MeterRegistry registry;

  public CallCounter(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    return next.startCall(new SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        Counter.builder("drover.grpc.calls")
            .description("gRPC calls handled, by method and status")
            .tags("method", method, "status", status.getCode().name())
            .register(registry)
            .increment();
        super.close(status, trailers);
      }
    }, headers);
  }
}
