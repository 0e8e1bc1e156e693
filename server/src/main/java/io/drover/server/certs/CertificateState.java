package io.drover.server.certs;

import java.util.Locale;

/** The state of an app's certificate, as {@code drover certs} names it. */
public enum CertificateState {
  /** No certificate yet: the app is served over HTTP, and the reason is said. */
  PENDING,
  /** A certificate serves the app's domains and is not due for renewal. */
  VALID,
  /** A certificate serves while its successor is being obtained. */
  RENEWING,
  /** The last attempt failed; a certificate may still serve (until it expires), and the next attempt waits. */
  FAILED;

  /** Its name as shown and stored: {@code pending}, {@code valid}, {@code renewing}, {@code failed}. */
  public String shown() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The state {@code text} names, as {@link #shown} gives it. */
  public static CertificateState of(String text) {
    for (CertificateState s : values()) {
      if (s.shown().equals(text)) {
        return s;
      }
    }
    throw new IllegalArgumentException("not a certificate state: " + text);
  }
}
