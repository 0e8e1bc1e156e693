package io.drover.server.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
  private static final String VALUE = "hunter2-s3cret";

  private final SecretBox box = new SecretBox(key(1));

  static SecretsKey key(int fill) {
    byte[] material = new byte[SecretsKey.BYTES];
    Arrays.fill(material, (byte) fill);
    return SecretsKey.of(material);
  }

  @Test
  void aSealedValueOpensToItselfAndHidesIt() {
    SealedSecret sealed = box.seal("hello", "API_KEY", VALUE);
    assertEquals(VALUE, box.open("hello", "API_KEY", SealedSecret.parse(sealed.text())));
    assertFalse(sealed.text().contains(VALUE), sealed.text());
    assertTrue(sealed.text().startsWith("v1:" + box.keyId() + ":"), sealed.text());
    assertEquals(16, box.keyId().length());
  }

  @Test
  void everySealUsesAFreshNonce() {
    assertNotEquals(box.seal("hello", "API_KEY", VALUE).text(), box.seal("hello", "API_KEY", VALUE).text());
  }

  @Test
  void aValueMovedToAnotherAppOrNameDoesNotOpen() {
    SealedSecret sealed = box.seal("hello", "API_KEY", VALUE);
    IllegalStateException otherApp = assertThrows(IllegalStateException.class, () -> box.open("other", "API_KEY", sealed));
    assertTrue(otherApp.getMessage().contains("secret API_KEY of app other does not open"), otherApp.getMessage());
    assertThrows(IllegalStateException.class, () -> box.open("hello", "DB_PASSWORD", sealed));
  }

  @Test
  void aTamperedValueDoesNotOpen() {
    SealedSecret sealed = box.seal("hello", "API_KEY", VALUE);
    for (int i = 0; i < sealed.payload().length; i++) {
      byte[] payload = sealed.payload().clone();
      payload[i] ^= 1;
      SealedSecret tampered = new SealedSecret(sealed.keyId(), sealed.fingerprint(), payload);
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> box.open("hello", "API_KEY", tampered));
      assertFalse(e.getMessage().contains(VALUE), e.getMessage());
    }
    byte[] cut = Arrays.copyOf(sealed.payload(), 20);
    assertThrows(IllegalStateException.class,
        () -> box.open("hello", "API_KEY", new SealedSecret(sealed.keyId(), sealed.fingerprint(), cut)));
  }

  @Test
  void anotherKeyDoesNotOpenAndSaysWhichKeySealed() {
    SealedSecret sealed = box.seal("hello", "API_KEY", VALUE);
    SecretBox other = new SecretBox(key(2));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.open("hello", "API_KEY", sealed));
    assertTrue(e.getMessage().contains("sealed with key " + box.keyId()), e.getMessage());
    SealedSecret relabelled = new SealedSecret(other.keyId(), sealed.fingerprint(), sealed.payload());
    assertThrows(IllegalStateException.class, () -> other.open("hello", "API_KEY", relabelled));
  }

  @Test
  void holdsTellsAnUnchangedValueWithoutOpeningIt() {
    SealedSecret sealed = box.seal("hello", "API_KEY", VALUE);
    assertTrue(box.holds(sealed, "hello", "API_KEY", VALUE));
    assertFalse(box.holds(sealed, "hello", "API_KEY", VALUE + "!"));
    assertFalse(box.holds(sealed, "other", "API_KEY", VALUE));
    assertFalse(box.holds(sealed, "hello", "TOKEN", VALUE));
    assertFalse(new SecretBox(key(2)).holds(sealed, "hello", "API_KEY", VALUE));
  }

  @Test
  void parseRefusesWhatIsNotSealedWithoutQuotingIt() {
    for (String text : new String[] {VALUE, "", "v1:zz:aa:bb", "v2:0123456789abcdef:AAAA:AAAA"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SealedSecret.parse(text));
      assertFalse(!text.isEmpty() && e.getMessage().contains(text), e.getMessage());
    }
  }
}
