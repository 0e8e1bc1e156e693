package io.drover.server.security;

import io.drover.tls.Issued;
import io.drover.tls.PeerTrust;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * The server's check of a client certificate during the handshake: issued by this server's CA, for
 * a client. Whether the certificate is current and not revoked is decided per call by {@link
 * Authenticator}, against the injected clock and the database.
 */
final class ClientCertificateTrust extends PeerTrust {
  private final X509Certificate ca;

  ClientCertificateTrust(X509Certificate ca) {
    this.ca = ca;
  }

  @Override
  protected void checkClient(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("no client certificate");
    }
    Issued.check(chain[0], ca, Issued.CLIENT_AUTH);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[] {ca};
  }
}
