package io.drover.server.certs;

import io.drover.api.v1.AppSpec;
import io.drover.spec.ProvidedCertificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What {@code drover certs} says of an app's certificate, read from its stored spec: a provided
 * certificate's issuer, serial and validity (valid, or failed once expired); with {@code tls: acme},
 * pending, and why, until a certificate exists. Never any key material.
 *
 * @param issuer the serving certificate's issuer, empty without one
 * @param serial its serial number in hex, empty without one
 * @param notBefore null without a certificate
 * @param notAfter null without a certificate
 * @param lastError why it is pending or failed; empty otherwise
 */
public record CertificateStatus(String app, List<String> domains, String source, String issuer, String serial,
    Instant notBefore, Instant notAfter, CertificateState state, String lastError) {

  /** Why an app with {@code tls: acme} is served over HTTP on this server. */
  public static final String NO_ACME_CLIENT =
      "no certificate yet: this server obtains no ACME certificates, so the app is served over HTTP; "
          + "use nginx.tls: {certificate: FILE, key: FILE}";

  /** The status of {@code spec}'s certificate at {@code now}; empty when the app has no {@code nginx.tls}. */
  public static Optional<CertificateStatus> of(AppSpec spec, Instant now) {
    if (!spec.getNginx().hasTls()) {
      return Optional.empty();
    }
    List<String> domains = List.copyOf(spec.getNginx().getDomainsList());
    if (spec.getNginx().getTls().getAcme()) {
      return Optional.of(new CertificateStatus(spec.getName(), domains, "acme", "", "", null, null,
          CertificateState.PENDING, NO_ACME_CLIENT));
    }
    X509Certificate leaf;
    try {
      leaf = ProvidedCertificate.chain(spec.getNginx().getTls().getCertificate()).get(0);
    } catch (IllegalArgumentException e) {
      return Optional.of(new CertificateStatus(spec.getName(), domains, "provided", "", "", null, null,
          CertificateState.FAILED, "nginx.tls.certificate: " + e.getMessage()));
    }
    Instant notAfter = leaf.getNotAfter().toInstant();
    boolean expired = now.isAfter(notAfter);
    return Optional.of(new CertificateStatus(spec.getName(), domains, "provided",
        leaf.getIssuerX500Principal().getName(), HexFormat.of().formatHex(leaf.getSerialNumber().toByteArray()),
        leaf.getNotBefore().toInstant(), notAfter, expired ? CertificateState.FAILED : CertificateState.VALID,
        expired ? "expired on " + notAfter + "; apply a renewed certificate" : ""));
  }
}
