package io.drover.server.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals and opens single secret values with AES-256-GCM: a random 96-bit nonce per value, and the
 * app and the secret's name bound in as associated data, so a sealed value copied to another app or
 * name does not open. Messages of its exceptions name the app and the secret, never the value.
 */
public final class SecretBox {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int FINGERPRINT_BYTES = 16;

  private final SecretsKey key;
  private final SecureRandom random;

  public SecretBox(SecretsKey key) {
    this(key, new SecureRandom());
  }

  SecretBox(SecretsKey key, SecureRandom random) {
    this.key = key;
    this.random = random;
  }

  /** The id of the key this box seals with. */
  public String keyId() {
    return key.id();
  }

  /** Seals the secret {@code name} of {@code app}. */
  public SealedSecret seal(String app, String name, String value) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] ciphertext;
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key.encryptionKey(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(app, name));
      ciphertext = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot seal secret " + name + " of app " + app + ": " + e.getMessage(), e);
    }
    byte[] payload = ByteBuffer.allocate(nonce.length + ciphertext.length).put(nonce).put(ciphertext).array();
    return new SealedSecret(key.id(), fingerprint(app, name, value), payload);
  }

  /** The clear value of a sealed secret {@code name} of {@code app}. */
  public String open(String app, String name, SealedSecret sealed) {
    if (!sealed.keyId().equals(key.id())) {
      throw new IllegalStateException("secret " + name + " of app " + app + " was sealed with key " + sealed.keyId()
          + ", but this server's secrets.key is key " + key.id() + ": every server sharing a database needs the same secrets.key");
    }
    byte[] payload = sealed.payload();
    if (payload.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new IllegalStateException("secret " + name + " of app " + app + " is damaged: too short");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key.encryptionKey(),
          new GCMParameterSpec(TAG_BITS, Arrays.copyOf(payload, NONCE_BYTES)));
      cipher.updateAAD(associatedData(app, name));
      byte[] clear = cipher.doFinal(payload, NONCE_BYTES, payload.length - NONCE_BYTES);
      return new String(clear, StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new IllegalStateException("secret " + name + " of app " + app
          + " does not open: it was altered, or sealed for another app or name", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot open secret " + name + " of app " + app + ": " + e.getMessage(), e);
    }
  }

  /** Whether {@code sealed} holds {@code value} as the secret {@code name} of {@code app}, without opening it. */
  public boolean holds(SealedSecret sealed, String app, String name, String value) {
    return sealed.keyId().equals(key.id())
        && SecretsKey.sameFingerprint(sealed.fingerprint(), fingerprint(app, name, value));
  }

  private byte[] fingerprint(String app, String name, String value) {
    return Arrays.copyOf(key.fingerprint(bound(app, name, value)), FINGERPRINT_BYTES);
  }

  private static byte[] associatedData(String app, String name) {
    return bound(app, name, null);
  }

  /** App and name (and value) joined by NUL, which none of them may contain. */
  private static byte[] bound(String app, String name, String value) {
    String joined = "drover secret v1\0" + app + "\0" + name + (value == null ? "" : "\0" + value);
    return joined.getBytes(StandardCharsets.UTF_8);
  }
}
