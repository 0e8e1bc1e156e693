package io.drover.server.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server's secrets key: 32 random bytes, from which two independent keys are derived with
 * HMAC-SHA256 — one for AES-256-GCM, one for the fingerprints that tell whether a secret changed —
 * and a short public id that says which key sealed a value.
 */
public final class SecretsKey {
  /** Length of the key in bytes. */
  public static final int BYTES = 32;

  private final SecretKey encryption;
  private final SecretKey fingerprint;
  private final String id;

  private SecretsKey(byte[] material) {
    this.encryption = new SecretKeySpec(derive(material, "drover secrets: encryption"), "AES");
    this.fingerprint = new SecretKeySpec(derive(material, "drover secrets: fingerprint"), "HmacSHA256");
    this.id = HexFormat.of().formatHex(Arrays.copyOf(derive(material, "drover secrets: key id"), 8));
  }

  /** The key made of {@code material}, which must be {@link #BYTES} bytes. */
  public static SecretsKey of(byte[] material) {
    if (material.length != BYTES) {
      throw new IllegalArgumentException("a secrets key is " + BYTES + " bytes, got " + material.length);
    }
    return new SecretsKey(material);
  }

  /** 16 hex digits naming this key; reveals nothing about it. */
  public String id() {
    return id;
  }

  SecretKey encryptionKey() {
    return encryption;
  }

  /** A keyed digest of {@code data}: equal inputs, equal digests; unguessable without the key. */
  byte[] fingerprint(byte[] data) {
    return hmac(fingerprint, data);
  }

  /** Whether two fingerprints are equal, in constant time. */
  static boolean sameFingerprint(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }

  private static byte[] derive(byte[] material, String purpose) {
    return hmac(new SecretKeySpec(material, "HmacSHA256"), purpose.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hmac(SecretKey key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK without HmacSHA256", e);
    }
  }

  @Override
  public String toString() {
    return "SecretsKey[id=" + id + "]";
  }
}
