package io.drover.spec;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEM certificate chain and its private key as an app's {@code nginx.tls} provides them, checked
 * the way nginx will use them: the chain parses (leaf first), the key is PKCS#8 and belongs to the
 * leaf, the leaf's subject alternative names cover every domain, and it has not expired. The same
 * reading serves certificates obtained over ACME ({@link #chain}, {@link #names}).
 */
public final class ProvidedCertificate {
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

  private ProvidedCertificate() {}

  /**
   * The problems of {@code certificate} and {@code key} for {@code domains} at {@code now}, each
   * naming {@code nginx.tls.certificate} or {@code nginx.tls.key} and never quoting the key; empty
   * when nginx can serve every domain with them. A null {@code key} is not checked.
   */
  public static List<String> problems(String certificate, String key, List<String> domains, Instant now) {
    List<String> problems = new ArrayList<>();
    List<X509Certificate> chain;
    try {
      chain = chain(certificate);
    } catch (IllegalArgumentException e) {
      problems.add("nginx.tls.certificate: " + e.getMessage());
      return problems;
    }
    X509Certificate leaf = chain.get(0);
    try {
      if (key != null && !matches(key(key), leaf.getPublicKey())) {
        problems.add("nginx.tls.key: does not match the certificate (the first certificate of the chain must be the "
            + "one the key was made for)");
      }
    } catch (IllegalArgumentException e) {
      problems.add("nginx.tls.key: " + e.getMessage());
    }
    List<String> names = names(leaf);
    for (String domain : domains) {
      if (!covers(names, domain)) {
        problems.add("nginx.tls.certificate: does not cover " + domain + " (it covers " + String.join(", ", names)
            + "); every domain in nginx.domains needs a name in the certificate");
      }
    }
    if (now.isAfter(leaf.getNotAfter().toInstant())) {
      problems.add("nginx.tls.certificate: expired on " + leaf.getNotAfter().toInstant() + "; renew it, or use tls: acme");
    } else if (now.isBefore(leaf.getNotBefore().toInstant())) {
      problems.add("nginx.tls.certificate: not valid before " + leaf.getNotBefore().toInstant());
    }
    return problems;
  }

  /** The certificates of a PEM chain, leaf first; throws with what is wrong. */
  public static List<X509Certificate> chain(String pem) {
    List<X509Certificate> chain = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      Matcher m = PEM.matcher(pem);
      while (m.find()) {
        if (!m.group(1).equals("CERTIFICATE")) {
          throw new IllegalArgumentException("holds a " + m.group(1) + " block; expected PEM certificates only");
        }
        chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(decode(m.group(2)))));
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not a valid PEM certificate: " + e.getMessage(), e);
    }
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("no PEM certificate (-----BEGIN CERTIFICATE-----) in it");
    }
    return chain;
  }

  /** A PEM PKCS#8 private key; the exception never quotes it. */
  public static PrivateKey key(String pem) {
    Matcher m = PEM.matcher(pem);
    if (!m.find()) {
      throw new IllegalArgumentException("no PEM private key (-----BEGIN PRIVATE KEY-----) in it");
    }
    if (!m.group(1).equals("PRIVATE KEY")) {
      throw new IllegalArgumentException("is a " + m.group(1) + "; convert it to PKCS#8 with "
          + "openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
    }
    byte[] der = decode(m.group(2));
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException("not an RSA, EC or EdDSA private key");
  }

  /** Whether {@code key} is the private half of {@code publicKey}: a signature made with one verifies with the other. */
  public static boolean matches(PrivateKey key, PublicKey publicKey) {
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm();
    };
    try {
      byte[] data = "drover key check".getBytes(StandardCharsets.US_ASCII);
      Signature sign = Signature.getInstance(algorithm);
      sign.initSign(key);
      sign.update(data);
      byte[] signature = sign.sign();
      Signature verify = Signature.getInstance(algorithm);
      verify.initVerify(publicKey);
      verify.update(data);
      return verify.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** The DNS names of the certificate's subject alternative names, lower-case. */
  public static List<String> names(X509Certificate certificate) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> name : alternatives) {
          if (name.get(0) instanceof Integer type && type == 2) {
            names.add(name.get(1).toString().toLowerCase(Locale.ROOT));
          }
        }
      }
    } catch (CertificateParsingException e) {
      throw new IllegalArgumentException("unreadable subject alternative names: " + e.getMessage(), e);
    }
    return names;
  }

  /** Whether one of {@code names} matches {@code domain}: the same name, or {@code *.rest} for one more label. */
  public static boolean covers(List<String> names, String domain) {
    String d = domain.toLowerCase(Locale.ROOT);
    for (String name : names) {
      if (name.equals(d)) {
        return true;
      }
      int dot = d.indexOf('.');
      if (name.startsWith("*.") && !d.startsWith("*.") && dot > 0 && d.substring(dot + 1).equals(name.substring(2))) {
        return true;
      }
    }
    return false;
  }

  private static byte[] decode(String base64) {
    try {
      return Base64.getMimeDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad base64 in a PEM block", e);
    }
  }
}
