package io.drover.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;

/**
 * How the CLI and the agent trust a Drover server: its chain must contain the server's CA (pinned by
 * SHA-256 fingerprint), and its leaf must be a current server certificate issued by that CA. The
 * server is known by its CA, not by the name it was dialled under, so no host name check is made.
 * Unpinned, the trust accepts any well-formed Drover chain and remembers the CA it saw, for {@code
 * drover login} to show before it sends a token.
 */
public final class ServerTrust extends PeerTrust {
  private final String pinned;
  private final Clock clock;
  private volatile X509Certificate presentedCa;

  private ServerTrust(String pinned, Clock clock) {
    this.pinned = pinned;
    this.clock = clock;
  }

  /** Trusts only a server whose CA has this fingerprint (as {@link Fingerprints#parse} reads it). */
  public static ServerTrust pinned(String fingerprint) {
    return new ServerTrust(Fingerprints.parse(fingerprint), Clock.systemUTC());
  }

  /** Trusts a server whose CA is {@code ca}. */
  public static ServerTrust of(X509Certificate ca) {
    return new ServerTrust(Fingerprints.sha256(ca), Clock.systemUTC());
  }

  /** Accepts any Drover server and records its CA: only for showing the fingerprint to a person. */
  public static ServerTrust unpinned() {
    return new ServerTrust(null, Clock.systemUTC());
  }

  /** The CA certificate of the last server chain checked, or null. */
  public X509Certificate presentedCa() {
    return presentedCa;
  }

  @Override
  protected void checkServer(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length < 2) {
      throw new CertificateException("the server sent no CA certificate with its own; is it a Drover server?");
    }
    X509Certificate ca = null;
    for (int i = 1; i < chain.length; i++) {
      if (pinned == null ? i == chain.length - 1 : Fingerprints.sha256(chain[i]).equals(pinned)) {
        ca = chain[i];
      }
    }
    if (ca == null) {
      throw new CertificateException("the server's CA fingerprint is " + Fingerprints.sha256(chain[chain.length - 1])
          + ", not the pinned " + pinned);
    }
    if (ca.getBasicConstraints() < 0) {
      throw new CertificateException("the server's CA certificate is not a CA");
    }
    Issued.check(chain[0], ca, Issued.SERVER_AUTH);
    chain[0].checkValidity(Date.from(clock.instant()));
    presentedCa = ca;
  }
}
