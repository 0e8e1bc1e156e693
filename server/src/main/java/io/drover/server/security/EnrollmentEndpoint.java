package io.drover.server.security;

import io.drover.api.v1.EnrollRequest;
import io.drover.api.v1.EnrollResponse;
import io.drover.api.v1.EnrollmentServiceGrpc;
import io.drover.api.v1.RenewCertificateRequest;
import io.drover.server.store.CertificateStore;
import io.drover.server.store.CertificateStore.Enrollment;
import io.drover.spec.SpecRules;
import io.drover.tls.Fingerprints;
import io.drover.tls.Pem;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agent enrollment (an enrollment token and a CSR for a client certificate) and renewal (the calling
 * agent's own host, a new key). Attempts are rate-limited per peer address.
 */
public final class EnrollmentEndpoint extends EnrollmentServiceGrpc.EnrollmentServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(EnrollmentEndpoint.class);
  /** Failed enrollment attempts allowed per peer address and minute; then the peer waits. */
  public static final int FAILURES_PER_MINUTE = 10;

  private final CertificateAuthority ca;
  private final CertificateStore certificates;
  private final Duration lifetime;
  private final RateLimiter attempts;

  public EnrollmentEndpoint(CertificateAuthority ca, CertificateStore certificates, Duration lifetime, Clock clock) {
    this.ca = ca;
    this.certificates = certificates;
    this.lifetime = lifetime;
    this.attempts = new RateLimiter(FAILURES_PER_MINUTE, Duration.ofMinutes(1), clock);
  }

  @Override
  public void enroll(EnrollRequest request, StreamObserver<EnrollResponse> out) {
    String peer = peerHost();
    if (!attempts.allows(peer)) {
      out.onError(Status.RESOURCE_EXHAUSTED.withDescription(
          "too many failed enrollment attempts from " + peer + "; try again in a minute").asRuntimeException());
      return;
    }
    String host = request.getHost();
    String problem = SpecRules.hostNameProblem(host);
    if (problem != null) {
      attempts.failed(peer);
      out.onError(Status.INVALID_ARGUMENT.withDescription("host: " + problem).asRuntimeException());
      return;
    }
    PublicKey key;
    try {
      key = CertificateAuthority.csrKey(request.getCsr().toByteArray());
    } catch (IllegalArgumentException e) {
      attempts.failed(peer);
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    String keySha = Fingerprints.sha256(key.getEncoded());
    Enrollment result = certificates.enroll(host, keySha, request.getToken(), peer,
        (h, labels) -> ca.issueAgent(key, h, lifetime));
    switch (result) {
      case Enrollment.Issued issued -> {
        log.info("event=agent_enrolled host={} token={} peer={}", host, issued.tokenId(), peer);
        out.onNext(response(issued.certificate()));
        out.onCompleted();
      }
      case Enrollment.Pending pending -> {
        log.info("event=enrollment_pending host={} token={} peer={}", host, pending.tokenId(), peer);
        out.onNext(EnrollResponse.newBuilder().setPendingApproval(true)
            .setMessage("host " + host + " is enrolled already; an operator must run: drover host approve " + host)
            .build());
        out.onCompleted();
      }
      case Enrollment.Refused refused -> {
        attempts.failed(peer);
        log.warn("event=enrollment_refused host={} peer={} reason=bad_token", host, peer);
        out.onError(Status.UNAUTHENTICATED
            .withDescription("the enrollment token is invalid, expired, used up or revoked").asRuntimeException());
      }
    }
  }

  @Override
  public void renewCertificate(RenewCertificateRequest request, StreamObserver<EnrollResponse> out) {
    if (!(Identity.current() instanceof Identity.Agent agent)) {
      out.onError(Status.UNAUTHENTICATED.withDescription("renewal needs the agent's certificate").asRuntimeException());
      return;
    }
    PublicKey key;
    try {
      key = CertificateAuthority.csrKey(request.getCsr().toByteArray());
    } catch (IllegalArgumentException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    CertificateStore.AgentCertificate current = certificates.find(agent.serial()).orElseThrow();
    X509Certificate cert = ca.issueAgent(key, agent.host(), lifetime);
    if (!certificates.recordRenewal(current, cert, Fingerprints.sha256(key.getEncoded()))) {
      out.onError(Status.UNAUTHENTICATED.withDescription("the certificate of host " + agent.host()
          + " is revoked; enroll the agent again").asRuntimeException());
      return;
    }
    log.info("event=certificate_renewed host={} not_after={}", agent.host(), cert.getNotAfter().toInstant());
    out.onNext(response(cert));
    out.onCompleted();
  }

  private EnrollResponse response(X509Certificate cert) {
    return EnrollResponse.newBuilder()
        .setCertificatePem(Pem.certificate(cert))
        .setCaCertificatePem(Pem.certificate(ca.certificate()))
        .build();
  }

  private static String peerHost() {
    SocketAddress a = Identity.PEER.get();
    if (a instanceof InetSocketAddress inet) {
      return inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
    }
    return a == null ? "unknown" : a.toString();
  }
}
