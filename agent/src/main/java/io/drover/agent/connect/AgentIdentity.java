package io.drover.agent.connect;

import com.google.protobuf.ByteString;
import io.drover.agent.host.AtomicFile;
import io.drover.api.v1.EnrollRequest;
import io.drover.api.v1.EnrollResponse;
import io.drover.api.v1.EnrollmentServiceGrpc;
import io.drover.api.v1.RenewCertificateRequest;
import io.drover.tls.ClientChannels;
import io.drover.tls.Fingerprints;
import io.drover.tls.Keys;
import io.drover.tls.Pem;
import io.drover.tls.ServerTrust;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's credentials: its private key (made on this host, never sent anywhere) and client
 * certificate in {@code DATA/identity.pem}, the server's CA in {@code DATA/ca.crt}, both 0600 in the
 * 0700 data dir. Made on the first start by enrolling with a token; renewed before expiry.
 */
public final class AgentIdentity {
  private static final Logger log = LoggerFactory.getLogger(AgentIdentity.class);
  static final String IDENTITY_FILE = "identity.pem";
  static final String CA_FILE = "ca.crt";

  private final PrivateKey key;
  private final X509Certificate certificate;
  private final X509Certificate ca;

  AgentIdentity(PrivateKey key, X509Certificate certificate, X509Certificate ca) {
    this.key = key;
    this.certificate = certificate;
    this.ca = ca;
  }

  public PrivateKey key() {
    return key;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public X509Certificate ca() {
    return ca;
  }

  /** The host name the certificate was issued for. */
  public String host() {
    String dn = certificate.getSubjectX500Principal().getName();
    for (String part : dn.split(",")) {
      if (part.startsWith("CN=")) {
        return part.substring(3);
      }
    }
    return "";
  }

  /** When to renew: two thirds into the certificate's lifetime. */
  public Instant renewAt() {
    Instant from = certificate.getNotBefore().toInstant();
    Instant to = certificate.getNotAfter().toInstant();
    return from.plus(Duration.between(from, to).multipliedBy(2).dividedBy(3));
  }

  /** The identity saved in {@code dataDir}, if the agent enrolled before. */
  public static AgentIdentity load(Path dataDir) {
    Path identity = dataDir.resolve(IDENTITY_FILE);
    Path caFile = dataDir.resolve(CA_FILE);
    if (!Files.isRegularFile(identity) || !Files.isRegularFile(caFile)) {
      return null;
    }
    try {
      String pem = Files.readString(identity, StandardCharsets.US_ASCII);
      return new AgentIdentity(Pem.privateKey(pem), Pem.certificate(pem),
          Pem.certificate(Files.readString(caFile, StandardCharsets.US_ASCII)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + identity + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(identity + " is damaged (" + e.getMessage() + "); remove it and enroll again", e);
    }
  }

  /**
   * Enrolls {@code host} at {@code server} with {@code token}, trusting the CA with {@code
   * caFingerprint}; while the server says an operator must approve, asks again every {@code retry}
   * until {@code deadline}. Saves and returns the identity.
   */
  public static AgentIdentity enroll(Path dataDir, String server, String host, String token, String caFingerprint,
      Duration retry, Instant deadline, Clock clock) throws InterruptedException {
    if (token == null || token.isBlank() || caFingerprint == null || caFingerprint.isBlank()) {
      throw new IllegalStateException("this agent is not enrolled yet: its first start needs an enrollment token "
          + "(--token, from drover token create --enroll) and the server's CA fingerprint (--ca-fingerprint)");
    }
    ServerTrust trust = ServerTrust.pinned(caFingerprint);
    KeyPair pair = Keys.newKeyPair();
    ManagedChannel channel = ClientChannels.tls(server, trust, null, null).build();
    try {
      EnrollmentServiceGrpc.EnrollmentServiceBlockingStub stub = EnrollmentServiceGrpc.newBlockingStub(channel);
      EnrollRequest request = EnrollRequest.newBuilder().setToken(token.strip()).setHost(host)
          .setCsr(ByteString.copyFrom(csr(pair))).build();
      while (true) {
        EnrollResponse r = stub.withDeadlineAfter(30, TimeUnit.SECONDS).enroll(request);
        if (!r.getPendingApproval()) {
          AgentIdentity identity = new AgentIdentity(pair.getPrivate(), Pem.certificate(r.getCertificatePem()),
              Pem.certificate(r.getCaCertificatePem()));
          if (!Fingerprints.sha256(identity.ca()).equals(Fingerprints.parse(caFingerprint))) {
            throw new IllegalStateException("the server returned a CA other than the pinned one");
          }
          identity.save(dataDir);
          log.info("event=enrolled host={} not_after={}", host, identity.certificate().getNotAfter().toInstant());
          return identity;
        }
        log.warn("event=enrollment_pending host={} message=\"{}\"", host, r.getMessage());
        if (clock.instant().plus(retry).isAfter(deadline)) {
          throw new IllegalStateException("enrollment of " + host + " still waits for approval: " + r.getMessage());
        }
        Thread.sleep(retry.toMillis());
      }
    } catch (StatusRuntimeException e) {
      throw new IllegalStateException("enrollment at " + server + " failed: " + e.getStatus().getCode() + ": "
          + e.getStatus().getDescription(), e);
    } finally {
      channel.shutdownNow();
    }
  }

  /** A new key and certificate for the same host, over {@code channel} (authenticated as this identity). */
  public AgentIdentity renew(Channel channel, Path dataDir) {
    KeyPair pair = Keys.newKeyPair();
    EnrollResponse r = EnrollmentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .renewCertificate(RenewCertificateRequest.newBuilder().setCsr(ByteString.copyFrom(csr(pair))).build());
    AgentIdentity renewed = new AgentIdentity(pair.getPrivate(), Pem.certificate(r.getCertificatePem()), ca);
    renewed.save(dataDir);
    return renewed;
  }

  private void save(Path dataDir) {
    AtomicFile.write(dataDir.resolve(CA_FILE), Pem.certificate(ca));
    AtomicFile.write(dataDir.resolve(IDENTITY_FILE), Pem.privateKey(key) + Pem.certificate(certificate));
  }


  private static byte[] csr(KeyPair pair) {
    return CertificateRequest.of(pair);
  }
}
