package io.drover.server.security;

import io.drover.api.v1.Access;
import io.drover.server.rpc.ErrorStatus;
import io.drover.server.store.AuditStore;
import io.drover.server.store.CertificateStore;
import io.drover.server.store.TokenStore;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusException;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Establishes who calls (an agent by its client certificate, an operator by its bearer token, or
 * nobody), enforces the method's access rule, deny by default, and records audited calls. The
 * caller's {@link Identity} is in the call's context for the endpoints.
 */
public final class Authenticator implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
  static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final AccessPolicy policy;
  private final TokenStore tokens;
  private final AgentCertificates certificates;
  private final AuditStore audit;
  private final Clock clock;

  public Authenticator(AccessPolicy policy, TokenStore tokens, AgentCertificates certificates, AuditStore audit,
      Clock clock) {
    this.policy = policy;
    this.tokens = tokens;
    this.certificates = certificates;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    AccessPolicy.Rule rule = policy.rule(method);
    Identity identity = new Identity.Anonymous();
    try {
      // a public call carries its own proof; whatever else the caller presents is not looked at
      if (rule.access() != Access.ACCESS_PUBLIC) {
        identity = identify(call, headers);
      }
      check(rule.access(), identity, call.getMethodDescriptor().getBareMethodName());
    } catch (StatusException e) {
      if (rule.audited()) {
        // refused before its request was read: the log names who tried what, without a target
        record(identity, call, null, null, e.getStatus());
      }
      call.close(e.getStatus(), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Context context = Context.current().withValues(Identity.KEY, identity,
        Identity.PEER, call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    AuditedCall<Q, R> audited = rule.audited() ? new AuditedCall<>(call, identity) : null;
    ServerCall<Q, R> served = audited != null ? audited : call;
    return new SimpleForwardingServerCallListener<>(Contexts.interceptCall(context, served, headers, next)) {
      private boolean refused;

      @Override
      public void onMessage(Q message) {
        if (refused) {
          return;
        }
        if (message == null) {
          // a request that does not parse (see StrictRequests): nothing of it reaches the endpoint
          refused = true;
          served.close(Status.INVALID_ARGUMENT.withDescription("the request is not a valid "
              + call.getMethodDescriptor().getFullMethodName() + " message"), new Metadata());
          return;
        }
        if (audited != null) {
          audited.request(message);
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!refused) {
          super.onHalfClose();
        }
      }
    };
  }

  private Identity identify(ServerCall<?, ?> call, Metadata headers) throws StatusException {
    try {
      String authorization = headers.get(AUTHORIZATION);
      if (authorization != null) {
        return operator(authorization);
      }
      X509Certificate cert = peerCertificate(call);
      return cert == null ? new Identity.Anonymous() : agent(cert);
    } catch (RuntimeException e) {
      throw ErrorStatus.of(e, "check the caller's credentials").getStatus().asException();
    }
  }

  private Identity operator(String authorization) throws StatusException {
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw Status.UNAUTHENTICATED.withDescription("authorization header must be \"Bearer <token>\"").asException();
    }
    Optional<TokenStore.Token> token = tokens.authenticate(authorization.substring(7));
    if (token.isEmpty()) {
      throw Status.UNAUTHENTICATED.withDescription("the token is invalid, expired or revoked").asException();
    }
    TokenStore.Token t = token.get();
    Role role = Role.parse(t.role()).orElseThrow(() ->
        Status.PERMISSION_DENIED.withDescription("token " + t.id() + " has no operator role").asException());
    return new Identity.Operator(t.id(), t.name(), role);
  }

  private Identity agent(X509Certificate cert) throws StatusException {
    String serial = CertificateAuthority.serialOf(cert);
    Optional<CertificateStore.AgentCertificate> issued = certificates.find(serial);
    if (issued.isEmpty()) {
      throw Status.UNAUTHENTICATED.withDescription("client certificate " + serial + " was not issued to an agent")
          .asException();
    }
    CertificateStore.AgentCertificate c = issued.get();
    if (c.revokedAt() != null) {
      throw Status.UNAUTHENTICATED.withDescription("the certificate of host " + c.host() + " is revoked; "
          + "enroll the agent again").asException();
    }
    try {
      cert.checkValidity(Date.from(clock.instant()));
    } catch (CertificateExpiredException e) {
      throw Status.UNAUTHENTICATED.withDescription("the certificate of host " + c.host() + " expired at "
          + cert.getNotAfter().toInstant() + "; enroll the agent again").asException();
    } catch (CertificateNotYetValidException e) {
      throw Status.UNAUTHENTICATED.withDescription("the certificate of host " + c.host() + " is not valid before "
          + cert.getNotBefore().toInstant() + " (check the clocks)").asException();
    }
    return new Identity.Agent(c.host(), serial, c.labels());
  }

  private static X509Certificate peerCertificate(ServerCall<?, ?> call) {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session == null) {
      return null;
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  /** Throws the status that denies {@code identity} a method with {@code access}; returns when allowed. */
  static void check(Access access, Identity identity, String method) throws StatusException {
    Role needed = switch (access) {
      case ACCESS_PUBLIC -> null;
      case ACCESS_AGENT -> {
        if (identity instanceof Identity.Agent) {
          yield null;
        }
        throw (identity instanceof Identity.Anonymous ? Status.UNAUTHENTICATED : Status.PERMISSION_DENIED)
            .withDescription(method + " is for enrolled agents only").asException();
      }
      case ACCESS_VIEWER -> Role.VIEWER;
      case ACCESS_DEPLOYER -> Role.DEPLOYER;
      case ACCESS_ADMIN -> Role.ADMIN;
      case ACCESS_UNSPECIFIED, UNRECOGNIZED ->
          throw Status.PERMISSION_DENIED.withDescription(method + " has no access rule").asException();
    };
    if (needed == null) {
      return;
    }
    switch (identity) {
      case Identity.Operator o when o.role().includes(needed) -> {}
      case Identity.Operator o -> throw Status.PERMISSION_DENIED.withDescription(
          "role " + o.role().wireName() + " may not call " + method + " (needs " + needed.wireName() + ")").asException();
      case Identity.Agent a -> throw Status.PERMISSION_DENIED.withDescription(
          "agents may not call " + method).asException();
      case Identity.Anonymous x -> throw Status.UNAUTHENTICATED.withDescription(
          method + " needs an operator token: run drover login, or set DROVER_TOKEN").asException();
    }
  }

  private void record(Identity identity, ServerCall<?, ?> call, Object request, Object response, Status status) {
    SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    try {
      audit.append(AuditDetails.actor(identity, request), AuditDetails.method(call.getMethodDescriptor()),
          AuditDetails.target(request), status.getCode().name(), peer == null ? "" : peer.toString(),
          AuditDetails.revision(response));
    } catch (RuntimeException e) {
      log.warn("event=audit_write_failed method={} error={}", call.getMethodDescriptor().getFullMethodName(),
          e.toString());
    }
  }

  /** Remembers the first request and response of an audited call and records it when it closes. */
  private final class AuditedCall<Q, R> extends SimpleForwardingServerCall<Q, R> {
    private final Identity identity;
    private volatile Object request;
    private volatile Object response;

    AuditedCall(ServerCall<Q, R> call, Identity identity) {
      super(call);
      this.identity = identity;
    }

    void request(Object message) {
      if (request == null) {
        request = message;
      }
    }

    @Override
    public void sendMessage(R message) {
      if (response == null) {
        response = message;
      }
      super.sendMessage(message);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      record(identity, delegate(), request, response, status);
      super.close(status, trailers);
    }
  }
}
