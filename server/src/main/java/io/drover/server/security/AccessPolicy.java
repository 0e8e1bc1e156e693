package io.drover.server.security;

import com.google.protobuf.Descriptors.MethodDescriptor;
import io.drover.api.v1.Access;
import io.drover.api.v1.AccessOuterClass;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import java.util.HashMap;
import java.util.Map;

/**
 * Who may call each RPC, read from the {@code (drover.v1.access)} and {@code (drover.v1.audited)}
 * options in the protos. A method without an access option is denied to everyone.
 */
public final class AccessPolicy {
  /** One method's rule. */
  public record Rule(Access access, boolean audited) {}

  private static final Rule DENY = new Rule(Access.ACCESS_UNSPECIFIED, false);
  private final Map<String, Rule> rules = new HashMap<>();

  public AccessPolicy(Iterable<ServiceDescriptor> services) {
    for (ServiceDescriptor service : services) {
      for (io.grpc.MethodDescriptor<?, ?> method : service.getMethods()) {
        rules.put(method.getFullMethodName(), ruleOf(method));
      }
    }
  }

  /** The rule of {@code fullMethodName} ("drover.v1.OperatorService/ApplyApp"); deny when unknown. */
  public Rule rule(String fullMethodName) {
    return rules.getOrDefault(fullMethodName, DENY);
  }

  static Rule ruleOf(io.grpc.MethodDescriptor<?, ?> method) {
    if (!(method.getSchemaDescriptor() instanceof ProtoMethodDescriptorSupplier supplier)) {
      return DENY;
    }
    MethodDescriptor proto = supplier.getMethodDescriptor();
    return new Rule(proto.getOptions().getExtension(AccessOuterClass.access),
        proto.getOptions().getExtension(AccessOuterClass.audited));
  }
}
