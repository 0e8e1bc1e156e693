package io.drover.server.secrets;

import java.util.Base64;
import java.util.regex.Pattern;

/**
 * One secret value as the server stores it: {@code v1:<key id>:<fingerprint>:<nonce and ciphertext>}
 * — the id of the key that sealed it, a keyed fingerprint of the clear value (equal values of the
 * same app and name have equal fingerprints, so an unchanged secret is recognised without
 * decrypting it), and the AES-GCM nonce followed by the ciphertext and tag, both base64url.
 */
public record SealedSecret(String keyId, byte[] fingerprint, byte[] payload) {
  private static final String VERSION = "v1";
  private static final Pattern FORMAT =
      Pattern.compile("v1:[0-9a-f]{16}:[A-Za-z0-9_-]{1,64}:[A-Za-z0-9_-]{1,16384}");
  private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODE = Base64.getUrlDecoder();

  /** The stored text. */
  public String text() {
    return VERSION + ":" + keyId + ":" + ENCODE.encodeToString(fingerprint) + ":" + ENCODE.encodeToString(payload);
  }

  /** Parses a stored value; the message of the exception never quotes it. */
  public static SealedSecret parse(String text) {
    if (!FORMAT.matcher(text).matches()) {
      throw new IllegalArgumentException("not a sealed secret (expected v1:<key id>:<fingerprint>:<ciphertext>)");
    }
    String[] parts = text.split(":", -1);
    try {
      return new SealedSecret(parts[1], DECODE.decode(parts[2]), DECODE.decode(parts[3]));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a sealed secret: bad base64url", e);
    }
  }

  @Override
  public String toString() {
    return "SealedSecret[keyId=" + keyId + "]";
  }
}
