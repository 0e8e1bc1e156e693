package io.drover.agent.connect;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;

/**
 * A PKCS#10 certificate request (RFC 2986) for an EC key, DER-encoded with the JDK alone: the server
 * uses only its key and signature (proof that the agent holds the private key), so the request
 * carries a fixed subject and no attributes.
 */
final class CertificateRequest {
  /** OID 2.5.4.3, commonName. */
  private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};
  /** OID 1.2.840.10045.4.3.2, ecdsa-with-SHA256. */
  private static final byte[] ECDSA_WITH_SHA256 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04, 0x03, 0x02};
  private static final byte[] VERSION_1 = {0x02, 0x01, 0x00};
  private static final byte[] NO_ATTRIBUTES = {(byte) 0xa0, 0x00};

  private CertificateRequest() {}

  /** The DER request for {@code pair}'s public key, signed with its private key (SHA256withECDSA). */
  static byte[] of(KeyPair pair) {
    byte[] subject = tlv(0x30, tlv(0x31, tlv(0x30, COMMON_NAME,
        tlv(0x0c, "drover-agent".getBytes(StandardCharsets.UTF_8)))));
    byte[] info = tlv(0x30, VERSION_1, subject, pair.getPublic().getEncoded(), NO_ATTRIBUTES);
    byte[] signature;
    try {
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(pair.getPrivate());
      signer.update(info);
      signature = signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a certificate request: " + e.getMessage(), e);
    }
    byte[] bits = new byte[signature.length + 1]; // a leading 0: no unused bits
    System.arraycopy(signature, 0, bits, 1, signature.length);
    return tlv(0x30, info, tlv(0x30, ECDSA_WITH_SHA256), tlv(0x03, bits));
  }

  /** One DER element: {@code tag}, the definite length, then the parts. */
  private static byte[] tlv(int tag, byte[]... parts) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      body.writeBytes(p);
    }
    int n = body.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n & 0xff);
    }
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }
}
