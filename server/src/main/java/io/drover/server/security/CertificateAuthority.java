package io.drover.server.security;

import io.drover.tls.Fingerprints;
import io.drover.tls.Keys;
import io.drover.tls.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The server's certificate authority: an EC P-256 key kept only in {@code DIR/ca.key} (mode 0600)
 * and its self-signed certificate {@code DIR/ca.crt}. It issues the server's own TLS certificate and
 * the agents' client certificates; it alone decides their subject, lifetime and key usage.
 */
public final class CertificateAuthority {
  public static final String KEY_FILE = "ca.key";
  public static final String CERTIFICATE_FILE = "ca.crt";
  private static final Duration CA_LIFETIME = Duration.ofDays(3650);
  /**
   * Issued certificates start this much in the past, for clocks a little behind; at most a tenth of
   * their lifetime, so agents (which renew two thirds into it) renew at about the same point.
   */
  private static final Duration BACKDATE = Duration.ofMinutes(5);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PrivateKey key;
  private final X509Certificate certificate;
  private final String fingerprint;
  private final Clock clock;

  private CertificateAuthority(PrivateKey key, X509Certificate certificate, Clock clock) {
    this.key = key;
    this.certificate = certificate;
    this.fingerprint = Fingerprints.sha256(certificate);
    this.clock = clock;
  }

  /** Whether {@code dir} holds a CA. */
  public static boolean existsIn(Path dir) {
    return Files.exists(dir.resolve(KEY_FILE)) || Files.exists(dir.resolve(CERTIFICATE_FILE));
  }

  /** Loads the CA from {@code dir}; a missing or unreadable file is named in the error. */
  public static CertificateAuthority load(Path dir, Clock clock) {
    Path keyFile = dir.resolve(KEY_FILE);
    Path certFile = dir.resolve(CERTIFICATE_FILE);
    for (Path f : List.of(keyFile, certFile)) {
      if (!Files.isRegularFile(f)) {
        throw new IllegalStateException("the CA in " + dir + " is incomplete: " + f + " is missing");
      }
    }
    try {
      PrivateKey key = Pem.privateKey(PrivateFile.read(keyFile));
      X509Certificate cert = Pem.certificate(PrivateFile.read(certFile));
      return new CertificateAuthority(key, cert, clock);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("cannot read the CA in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Creates a new CA and writes it to {@code dir}; refuses to overwrite one. */
  public static CertificateAuthority create(Path dir, Clock clock) {
    KeyPair pair = Keys.newKeyPair();
    Instant now = clock.instant();
    X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "Drover")
        .addRDN(BCStyle.CN, "Drover CA " + Long.toHexString(RANDOM.nextLong() >>> 16))
        .build();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(BACKDATE)),
        Date.from(now.plus(CA_LIFETIME)), name, pair.getPublic());
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(Extension.subjectKeyIdentifier, false,
          new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the CA certificate: " + e.getMessage(), e);
    }
    X509Certificate cert = sign(b, pair.getPrivate());
    PrivateFile.write(dir.resolve(KEY_FILE), Pem.privateKey(pair.getPrivate()), false);
    PrivateFile.write(dir.resolve(CERTIFICATE_FILE), Pem.certificate(cert), false);
    return new CertificateAuthority(pair.getPrivate(), cert, clock);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** SHA-256 of the CA certificate's DER encoding, lower-case hex. */
  public String fingerprint() {
    return fingerprint;
  }

  /** A TLS server certificate for {@code names} (DNS names or IP addresses). */
  public X509Certificate issueServer(PublicKey subjectKey, List<String> names, Duration lifetime) {
    List<GeneralName> alt = new ArrayList<>();
    for (String n : names) {
      alt.add(isIpLiteral(n) ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n));
    }
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Drover")
        .addRDN(BCStyle.CN, "drover-server").build();
    return issue(subject, subjectKey, lifetime, KeyPurposeId.id_kp_serverAuth,
        alt.isEmpty() ? null : new GeneralNames(alt.toArray(GeneralName[]::new)));
  }

  /** A client certificate whose subject CN is {@code host}: the agent's identity. */
  public X509Certificate issueAgent(PublicKey subjectKey, String host, Duration lifetime) {
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Drover agents")
        .addRDN(BCStyle.CN, host).build();
    return issue(subject, subjectKey, lifetime, KeyPurposeId.id_kp_clientAuth, null);
  }

  private X509Certificate issue(X500Name subject, PublicKey subjectKey, Duration lifetime, KeyPurposeId purpose,
      GeneralNames alt) {
    Instant now = clock.instant();
    Duration backdate = lifetime.dividedBy(10).compareTo(BACKDATE) < 0 ? lifetime.dividedBy(10) : BACKDATE;
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(),
        Date.from(now.minus(backdate)), Date.from(now.plus(lifetime)), subject, subjectKey);
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      if (alt != null) {
        b.addExtension(Extension.subjectAlternativeName, false, alt);
      }
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a certificate for " + subject + ": " + e.getMessage(), e);
    }
    return sign(b, key);
  }

  /**
   * The public key of a PKCS#10 request whose signature proves the requester holds the private key;
   * everything else the request asks for is ignored. Throws IllegalArgumentException naming the flaw.
   */
  public static PublicKey csrKey(byte[] der) {
    if (der.length == 0) {
      throw new IllegalArgumentException("csr: missing");
    }
    try {
      JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(der);
      if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo()))) {
        throw new IllegalArgumentException("csr: signature does not match its key");
      }
      PublicKey key = csr.getPublicKey();
      if (!key.getAlgorithm().equals("EC") && !key.getAlgorithm().equals("RSA")) {
        throw new IllegalArgumentException("csr: key must be EC or RSA, is " + key.getAlgorithm());
      }
      return key;
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException iae && iae.getMessage() != null
          && iae.getMessage().startsWith("csr:")) {
        throw iae;
      }
      throw new IllegalArgumentException("csr: not a DER-encoded PKCS#10 request", e);
    } catch (GeneralSecurityException | OperatorCreationException | PKCSException e) {
      throw new IllegalArgumentException("csr: cannot verify its signature: " + e.getMessage(), e);
    }
  }


  /** The certificate's serial number as lower-case hex: how the server records agent certificates. */
  public static String serialOf(X509Certificate certificate) {
    return certificate.getSerialNumber().toString(16);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a certificate: " + e.getMessage(), e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static boolean isIpLiteral(String name) {
    return name.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*");
  }
}
