package io.drover.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/** SHA-256 fingerprints of certificates: lower-case hex of the digest of the DER encoding. */
public final class Fingerprints {
  private Fingerprints() {}

  public static String sha256(X509Certificate certificate) {
    try {
      return sha256(certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("cannot encode certificate: " + e.getMessage(), e);
    }
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JDK", e);
    }
  }

  /**
   * A fingerprint as typed by a person, e.g. {@code AB:CD:…} or {@code abcd…}: colons, spaces and
   * case don't matter. Returns 64 lower-case hex digits, or throws naming what is wrong.
   */
  public static String parse(String typed) {
    String hex = typed.replace(":", "").replace(" ", "").strip().toLowerCase(Locale.ROOT);
    if (!hex.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "CA fingerprint must be a SHA-256 in hex (64 digits, colons allowed), got \"" + typed + "\"");
    }
    return hex;
  }

  /** {@code AB:CD:…}, the way the server logs it. */
  public static String display(String hex) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < hex.length(); i += 2) {
      if (i > 0) {
        out.append(':');
      }
      out.append(hex, i, i + 2);
    }
    return out.toString().toUpperCase(Locale.ROOT);
  }
}
