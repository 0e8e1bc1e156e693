package io.drover.tls;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;

/** Checks that a certificate was issued by a CA for one purpose (extended key usage). */
public final class Issued {
  /** Extended key usage of a TLS server certificate. */
  public static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  /** Extended key usage of a TLS client certificate. */
  public static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private Issued() {}

  /**
   * Throws unless {@code leaf} carries {@code ca}'s signature, is not itself a CA, and has the
   * extended key usage {@code purpose} (so an agent's client certificate can never pass for a
   * server, nor the other way round).
   */
  public static void check(X509Certificate leaf, X509Certificate ca, String purpose) throws CertificateException {
    try {
      leaf.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new CertificateException("certificate " + leaf.getSubjectX500Principal().getName()
          + " is not issued by the Drover CA " + ca.getSubjectX500Principal().getName());
    }
    if (leaf.getBasicConstraints() >= 0) {
      throw new CertificateException("a CA certificate cannot be used as a peer certificate");
    }
    List<String> usages;
    try {
      usages = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw new CertificateException("unreadable extended key usage: " + e.getMessage(), e);
    }
    if (usages == null || !usages.contains(purpose)) {
      throw new CertificateException("certificate " + leaf.getSubjectX500Principal().getName() + " is not for "
          + (purpose.equals(SERVER_AUTH) ? "a server" : "a client"));
    }
  }
}
