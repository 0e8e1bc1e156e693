package io.drover.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A trust manager that checks one side of a handshake: a subclass overrides {@link #checkServer} or
 * {@link #checkClient}; the other side is refused. Extending {@link X509ExtendedTrustManager} keeps the
 * JDK from adding checks of its own (such as a host name match) around it.
 */
public abstract class PeerTrust extends X509ExtendedTrustManager {
  /** Checks a server's chain; refuses by default. */
  protected void checkServer(X509Certificate[] chain) throws CertificateException {
    throw new CertificateException("this trust manager does not check servers");
  }

  /** Checks a client's chain; refuses by default. */
  protected void checkClient(X509Certificate[] chain) throws CertificateException {
    throw new CertificateException("this trust manager does not check clients");
  }

  @Override
  public final void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    checkServer(chain);
  }

  @Override
  public final void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServer(chain);
  }

  @Override
  public final void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkServer(chain);
  }

  @Override
  public final void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    checkClient(chain);
  }

  @Override
  public final void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkClient(chain);
  }

  @Override
  public final void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkClient(chain);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
