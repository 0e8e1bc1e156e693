package io.drover.server;

import io.drover.api.v1.AccessServiceGrpc;
import io.drover.api.v1.CreateTokenRequest;
import io.drover.api.v1.EnrollRequest;
import io.drover.api.v1.EnrollResponse;
import io.drover.api.v1.EnrollmentServiceGrpc;
import io.drover.server.security.CertificateAuthority;
import io.drover.server.security.ServerCredentials;
import io.drover.tls.BearerToken;
import io.drover.tls.ClientChannels;
import io.drover.tls.Keys;
import io.drover.tls.Pem;
import io.drover.tls.ServerTrust;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * TLS channels to a test server with each kind of caller: the initial admin, operators of a role, an
 * enrolled agent of a host, nobody. Reads the CA and admin token the server wrote in its data dir.
 */
final class Clients implements AutoCloseable {
  private final int port;
  private final X509Certificate ca;
  private final String adminToken;
  private final List<ManagedChannel> open;
  /** Each host enrolls once; later channels of the host (to any server) reuse its key and certificate. */
  private final Map<String, Enrolled> enrolled;

  private record Enrolled(PrivateKey key, X509Certificate certificate) {}

  Clients(DroverServer server, Path dataDir) {
    this(server.grpcPort(), dataDir, read(dataDir.resolve(ServerCredentials.ADMIN_TOKEN_FILE)).strip());
  }

  Clients(int port, Path dataDir, String adminToken) {
    this.port = port;
    this.ca = Pem.certificate(read(dataDir.resolve(CertificateAuthority.CERTIFICATE_FILE)));
    this.adminToken = adminToken;
    this.open = new ArrayList<>();
    this.enrolled = new ConcurrentHashMap<>();
  }

  /** The same callers against another server sharing the database (and the CA). */
  Clients on(DroverServer other) {
    return new Clients(other.grpcPort(), this);
  }

  private Clients(int port, Clients same) {
    this.port = port;
    this.ca = same.ca;
    this.adminToken = same.adminToken;
    this.open = same.open;
    this.enrolled = same.enrolled;
  }

  X509Certificate ca() {
    return ca;
  }

  String adminToken() {
    return adminToken;
  }

  Channel admin() {
    return withToken(adminToken);
  }

  /** A channel with a fresh operator token of {@code role}. */
  Channel operator(String role) {
    String token = AccessServiceGrpc.newBlockingStub(admin())
        .createToken(CreateTokenRequest.newBuilder().setRole(role).setName(role + " for a test").build())
        .getSecret();
    return withToken(token);
  }

  Channel withToken(String token) {
    return ClientInterceptors.intercept(channel(null, null), new BearerToken(token));
  }

  ManagedChannel anonymous() {
    return channel(null, null);
  }

  /** A new enrollment token with one use. */
  String enrollToken() {
    return AccessServiceGrpc.newBlockingStub(admin())
        .createToken(CreateTokenRequest.newBuilder().setEnroll(true).build()).getSecret();
  }

  /**
   * A channel that presents the certificate of {@code host}, enrolled with a fresh key the first time.
   */
  ManagedChannel agent(String host) {
    Enrolled e = enrolled.get(host);
    if (e == null) {
      e = enroll(host);
      enrolled.put(host, e);
    }
    return channel(e.key(), e.certificate());
  }

  private Enrolled enroll(String host) {
    KeyPair key = Keys.newKeyPair();
    EnrollResponse r = EnrollmentServiceGrpc.newBlockingStub(anonymous()).enroll(EnrollRequest.newBuilder()
        .setToken(enrollToken()).setHost(host).setCsr(ByteString.copyFrom(csr(key))).build());
    if (r.getPendingApproval()) {
      throw new AssertionError("enrollment of " + host + " waits for approval: " + r.getMessage());
    }
    return new Enrolled(key.getPrivate(), Pem.certificate(r.getCertificatePem()));
  }

  /** The client certificate {@code host} enrolled with (after {@link #agent}). */
  X509Certificate certificate(String host) {
    return enrolled.get(host).certificate();
  }

  /** A channel presenting {@code certificate} with {@code key}. */
  ManagedChannel channel(PrivateKey key, X509Certificate certificate) {
    ManagedChannel c = ClientChannels.tls("127.0.0.1:" + port, ServerTrust.of(ca), key, certificate).build();
    synchronized (open) {
      open.add(c);
    }
    return c;
  }

  /** A PKCS#10 request for {@code key}, DER. */
  static byte[] csr(KeyPair key) {
    try {
      return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ignored"), key.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
    } catch (OperatorCreationException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    synchronized (open) {
      for (ManagedChannel c : open) {
        c.shutdownNow();
      }
      try {
        for (ManagedChannel c : open) {
          c.awaitTermination(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
