package io.drover.server.security;

import com.google.protobuf.Timestamp;
import io.drover.api.v1.AccessServiceGrpc;
import io.drover.api.v1.ApproveHostRequest;
import io.drover.api.v1.ApproveHostResponse;
import io.drover.api.v1.AuditEntry;
import io.drover.api.v1.CreateTokenRequest;
import io.drover.api.v1.CreateTokenResponse;
import io.drover.api.v1.ListAuditRequest;
import io.drover.api.v1.ListAuditResponse;
import io.drover.api.v1.ListTokensRequest;
import io.drover.api.v1.ListTokensResponse;
import io.drover.api.v1.RemoveHostRequest;
import io.drover.api.v1.RemoveHostResponse;
import io.drover.api.v1.RevokeTokenRequest;
import io.drover.api.v1.Token;
import io.drover.api.v1.WhoAmIRequest;
import io.drover.api.v1.WhoAmIResponse;
import io.drover.build.Build;
import io.drover.server.changes.ChangeDispatcher;
import io.drover.server.store.AuditStore;
import io.drover.server.store.Store;
import io.drover.server.store.TokenStore;
import io.drover.spec.SpecRules;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Operator identities, tokens, host credentials and the audit log. */
public final class AccessEndpoint extends AccessServiceGrpc.AccessServiceImplBase {
  /** An enrollment token's lifetime when the request does not say. */
  public static final Duration DEFAULT_ENROLL_TTL = Duration.ofHours(1);
  private static final int MAX_USES = 100_000;
  private static final int MAX_AUDIT = 10_000;

  private final Store store;
  private final ChangeDispatcher dispatcher;
  private final String caFingerprint;

  public AccessEndpoint(Store store, ChangeDispatcher dispatcher, String caFingerprint) {
    this.store = store;
    this.dispatcher = dispatcher;
    this.caFingerprint = caFingerprint;
  }

  @Override
  public void whoAmI(WhoAmIRequest request, StreamObserver<WhoAmIResponse> out) {
    WhoAmIResponse.Builder r = WhoAmIResponse.newBuilder().setCaFingerprint(caFingerprint)
        .setServerVersion(Build.version());
    if (Identity.current() instanceof Identity.Operator o) {
      r.setTokenId(o.tokenId()).setName(o.name()).setRole(o.role().wireName());
    }
    out.onNext(r.build());
    out.onCompleted();
  }

  @Override
  public void createToken(CreateTokenRequest request, StreamObserver<CreateTokenResponse> out) {
    String problem = problem(request);
    if (problem != null) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(problem).asRuntimeException());
      return;
    }
    Duration ttl = request.getTtlSeconds() > 0 ? Duration.ofSeconds(request.getTtlSeconds())
        : request.getEnroll() ? DEFAULT_ENROLL_TTL : null;
    TokenStore.Created created = store.tokens().create(
        request.getEnroll() ? TokenStore.ENROLL : TokenStore.OPERATOR,
        request.getEnroll() ? "" : request.getRole(),
        request.getName(), ttl,
        request.getEnroll() ? Integer.valueOf(Math.max(1, request.getUses())) : null,
        request.getLabelsMap(), Identity.current().actor());
    out.onNext(CreateTokenResponse.newBuilder().setToken(token(created.token())).setSecret(created.secret()).build());
    out.onCompleted();
  }

  private static String problem(CreateTokenRequest r) {
    if (r.getTtlSeconds() < 0) {
      return "ttl: must not be negative";
    }
    if (r.getName().length() > 200) {
      return "name: at most 200 characters";
    }
    if (r.getEnroll()) {
      if (!r.getRole().isEmpty()) {
        return "role: an enrollment token has no role";
      }
      if (r.getUses() < 0 || r.getUses() > MAX_USES) {
        return "uses: must be between 1 and " + MAX_USES;
      }
      List<String> labelProblems = SpecRules.labelsProblems("labels", r.getLabelsMap());
      return labelProblems.isEmpty() ? null : String.join("; ", labelProblems);
    }
    if (Role.parse(r.getRole()).isEmpty()) {
      return "role: must be admin, deployer or viewer, got \"" + r.getRole() + "\"";
    }
    if (r.getUses() != 0 || r.getLabelsCount() > 0) {
      return "uses and labels are for enrollment tokens only";
    }
    return null;
  }

  @Override
  public void listTokens(ListTokensRequest request, StreamObserver<ListTokensResponse> out) {
    ListTokensResponse.Builder r = ListTokensResponse.newBuilder();
    store.tokens().list().forEach(t -> r.addTokens(token(t)));
    out.onNext(r.build());
    out.onCompleted();
  }

  @Override
  public void revokeToken(RevokeTokenRequest request, StreamObserver<Token> out) {
    Optional<TokenStore.Token> revoked = store.tokens().revoke(request.getId());
    if (revoked.isEmpty()) {
      out.onError(Status.NOT_FOUND.withDescription("no token " + request.getId()).asRuntimeException());
      return;
    }
    out.onNext(token(revoked.get()));
    out.onCompleted();
  }

  @Override
  public void approveHost(ApproveHostRequest request, StreamObserver<ApproveHostResponse> out) {
    Optional<String> key = store.certificates().approve(request.getHost(), Identity.current().actor());
    if (key.isEmpty()) {
      out.onError(Status.NOT_FOUND.withDescription("no enrollment of host " + request.getHost() + " waits for approval")
          .asRuntimeException());
      return;
    }
    out.onNext(ApproveHostResponse.newBuilder().setHost(request.getHost()).setKeySha256(key.get()).build());
    out.onCompleted();
  }

  @Override
  public void removeHost(RemoveHostRequest request, StreamObserver<RemoveHostResponse> out) {
    var removal = store.hosts().remove(request.getHost());
    if (!removal.known()) {
      out.onError(Status.NOT_FOUND.withDescription("no host " + request.getHost()).asRuntimeException());
      return;
    }
    dispatcher.submit(removal.notice());
    out.onNext(RemoveHostResponse.newBuilder().setHost(request.getHost())
        .setCertificatesRevoked(removal.certificatesRevoked()).build());
    out.onCompleted();
  }

  @Override
  public void listAudit(ListAuditRequest request, StreamObserver<ListAuditResponse> out) {
    int limit = request.getLimit() <= 0 ? 100 : Math.min(request.getLimit(), MAX_AUDIT);
    ListAuditResponse.Builder r = ListAuditResponse.newBuilder();
    for (AuditStore.Entry e : store.audit().recent(limit)) {
      r.addEntries(AuditEntry.newBuilder().setId(e.id()).setAt(timestamp(e.at())).setActor(e.actor())
          .setMethod(e.method()).setTarget(e.target()).setOutcome(e.outcome()).setPeer(e.peer())
          .setRevision(e.revision()));
    }
    out.onNext(r.build());
    out.onCompleted();
  }

  private static Token token(TokenStore.Token t) {
    Token.Builder b = Token.newBuilder().setId(t.id()).setKind(t.kind()).setRole(t.role()).setName(t.name())
        .setCreatedAt(timestamp(t.createdAt())).setCreatedBy(t.createdBy()).putAllLabels(labels(t.labels()));
    if (t.expiresAt() != null) {
      b.setExpiresAt(timestamp(t.expiresAt()));
    }
    if (t.usesLeft() != null) {
      b.setUsesLeft(t.usesLeft());
    }
    if (t.revokedAt() != null) {
      b.setRevokedAt(timestamp(t.revokedAt()));
    }
    return b.build();
  }

  private static Map<String, String> labels(Map<String, String> l) {
    return l == null ? Map.of() : l;
  }

  private static Timestamp timestamp(OffsetDateTime t) {
    return Timestamp.newBuilder().setSeconds(t.toEpochSecond()).setNanos(t.getNano()).build();
  }
}
