package io.drover.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM text of certificates and PKCS#8 private keys. */
public final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private Pem() {}

  public static String certificate(X509Certificate certificate) {
    try {
      return block("CERTIFICATE", certificate.getEncoded());
    } catch (CertificateException e) {
      throw new IllegalArgumentException("cannot encode certificate: " + e.getMessage(), e);
    }
  }

  public static String privateKey(PrivateKey key) {
    if (!"PKCS#8".equals(key.getFormat())) {
      throw new IllegalArgumentException("private key must be PKCS#8, is " + key.getFormat());
    }
    return block("PRIVATE KEY", key.getEncoded());
  }

  /** The certificates in {@code pem}, in order; an error names what is wrong. */
  public static List<X509Certificate> certificates(String pem) {
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (byte[] der : blocks(pem, "CERTIFICATE")) {
        out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not a valid certificate: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no CERTIFICATE block in PEM text");
    }
    return out;
  }

  public static X509Certificate certificate(String pem) {
    return certificates(pem).getFirst();
  }

  /** The first PKCS#8 "PRIVATE KEY" in {@code pem} (EC or RSA). */
  public static PrivateKey privateKey(String pem) {
    List<byte[]> keys = blocks(pem, "PRIVATE KEY");
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no PRIVATE KEY block in PEM text");
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(keys.getFirst());
    for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException("PRIVATE KEY is not an EC, RSA or Ed25519 PKCS#8 key");
  }

  private static List<byte[]> blocks(String pem, String type) {
    List<byte[]> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(pem);
    while (m.find()) {
      if (m.group(1).equals(type)) {
        try {
          out.add(Base64.getMimeDecoder().decode(m.group(2)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("bad base64 in PEM " + type + " block", e);
        }
      }
    }
    return out;
  }

  private static String block(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
