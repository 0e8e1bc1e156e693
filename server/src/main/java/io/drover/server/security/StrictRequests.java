package io.drover.server.security;

import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import java.io.InputStream;

/**
 * Requests that do not parse as their message (malformed protobuf) reach the call as null instead of
 * failing inside gRPC (which answers UNKNOWN); {@link Authenticator} answers INVALID_ARGUMENT.
 */
public final class StrictRequests {
  private StrictRequests() {}

  /** {@code service} with every request marshaller made lenient as above. */
  public static ServerServiceDefinition wrap(ServerServiceDefinition service) {
    ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(service.getServiceDescriptor().getName());
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      b.addMethod(lenient(method));
    }
    return b.build();
  }

  private static <Q, R> ServerMethodDefinition<Q, R> lenient(ServerMethodDefinition<Q, R> method) {
    MethodDescriptor<Q, R> d = method.getMethodDescriptor();
    MethodDescriptor.Marshaller<Q> strict = d.getRequestMarshaller();
    MethodDescriptor.Marshaller<Q> lenient = new MethodDescriptor.Marshaller<>() {
      @Override
      public InputStream stream(Q value) {
        return strict.stream(value);
      }

      @Override
      public Q parse(InputStream stream) {
        try {
          return strict.parse(stream);
        } catch (RuntimeException e) {
          return null;
        }
      }
    };
    return ServerMethodDefinition.create(d.toBuilder(lenient, d.getResponseMarshaller()).build(),
        method.getServerCallHandler());
  }
}
