package io.drover.server.security;

import io.drover.tls.Keys;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * The server's TLS: a certificate issued by the CA at every start (its key lives only in memory),
 * sent with the CA certificate so clients can pin the CA; client certificates are optional (operators
 * bring tokens) and, when sent, must be the CA's client certificates.
 */
public final class ServerTls {
  /** How long the server's own certificate lasts; a new one is made at every start. */
  public static final Duration SERVER_CERTIFICATE_LIFETIME = Duration.ofDays(397);

  private ServerTls() {}

  /** The TLS context for the gRPC port; {@code names} go into the certificate's subject alt names. */
  public static SslContext context(CertificateAuthority ca, List<String> names) {
    KeyPair pair = Keys.newKeyPair();
    X509Certificate cert = ca.issueServer(pair.getPublic(), allNames(names), SERVER_CERTIFICATE_LIFETIME);
    try {
      return GrpcSslContexts.configure(SslContextBuilder.forServer(pair.getPrivate(), cert, ca.certificate()))
          .protocols("TLSv1.3")
          .clientAuth(ClientAuth.OPTIONAL)
          .trustManager(new ClientCertificateTrust(ca.certificate()))
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static List<String> allNames(List<String> extra) {
    Set<String> names = new LinkedHashSet<>(extra);
    names.add("localhost");
    names.add("127.0.0.1");
    names.add("::1");
    try {
      names.add(InetAddress.getLocalHost().getHostName());
    } catch (UnknownHostException e) {
      // the machine's name is a convenience only: clients trust the CA, not the name
    }
    return List.copyOf(names);
  }
}
