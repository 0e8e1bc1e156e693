package io.drover.server.security;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.drover.server.store.TokenStore;
import io.grpc.MethodDescriptor;
import java.util.List;

/**
 * What the audit log says of a call, read from its messages by field name. Only names are read
 * (app, host, id, a spec's name, a bundle's digest): never a token, secret, spec body or env value.
 */
final class AuditDetails {
  private static final List<String> TARGETS = List.of("app", "host", "id");

  private AuditDetails() {}

  static String method(MethodDescriptor<?, ?> method) {
    String full = method.getFullMethodName();
    return full.startsWith("drover.v1.") ? full.substring("drover.v1.".length()) : full;
  }

  /** The caller; an enrollment names its token's id (the part before the secret). */
  static String actor(Identity identity, Object request) {
    if (identity instanceof Identity.Anonymous && request instanceof io.drover.api.v1.EnrollRequest enroll) {
      return "enroll-token:" + TokenStore.idOf(enroll.getToken()).orElse("?");
    }
    return identity.actor();
  }

  static String target(Object request) {
    if (!(request instanceof Message m)) {
      return "";
    }
    for (String name : TARGETS) {
      String value = text(m, name);
      if (!value.isEmpty()) {
        return name.equals("id") ? "token " + value : name + " " + value;
      }
    }
    Message spec = child(m, "spec");
    if (spec != null && !text(spec, "name").isEmpty()) {
      return "app " + text(spec, "name");
    }
    Message header = child(m, "header");
    if (header != null && !text(header, "sha256").isEmpty()) {
      return "bundle " + text(header, "sha256");
    }
    if (m instanceof io.drover.api.v1.CreateTokenRequest t) {
      return t.getEnroll() ? "enrollment token" : "operator token, role " + t.getRole();
    }
    return "";
  }

  static long revision(Object response) {
    if (response instanceof Message m) {
      FieldDescriptor f = m.getDescriptorForType().findFieldByName("revision");
      if (f != null && f.getJavaType() == FieldDescriptor.JavaType.LONG) {
        return (Long) m.getField(f);
      }
    }
    return 0;
  }

  private static String text(Message m, String field) {
    FieldDescriptor f = m.getDescriptorForType().findFieldByName(field);
    return f != null && f.getJavaType() == FieldDescriptor.JavaType.STRING && !f.isRepeated()
        ? (String) m.getField(f) : "";
  }

  private static Message child(Message m, String field) {
    FieldDescriptor f = m.getDescriptorForType().findFieldByName(field);
    return f != null && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isRepeated() && m.hasField(f)
        ? (Message) m.getField(f) : null;
  }
}
