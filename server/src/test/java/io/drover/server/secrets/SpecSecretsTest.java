package io.drover.server.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.drover.api.v1.AppSpec;
import io.drover.api.v1.Assignment;
import io.drover.api.v1.Assignments;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecSecretsTest {
  private final SpecSecrets secrets = new SpecSecrets(new SecretBox(SecretBoxTest.key(7)));

  private static AppSpec spec(String app, Map<String, String> values) {
    return AppSpec.newBuilder().setName(app).putEnv("GREETING", "hi").putAllSecrets(values).build();
  }

  @Test
  void sealingHidesEveryValueAndOpeningRestoresThem() {
    AppSpec clear = spec("hello", Map.of("API_KEY", "k-123456", "DB_PASSWORD", "pw-654321"));
    AppSpec sealed = secrets.seal(clear, null);
    assertEquals(clear.getSecretsMap().keySet(), sealed.getSecretsMap().keySet());
    assertFalse(sealed.toString().contains("k-123456") || sealed.toString().contains("pw-654321"), sealed.toString());
    assertEquals("hi", sealed.getEnvMap().get("GREETING"));
    assertEquals(clear, secrets.open(sealed));
  }

  @Test
  void anUnchangedValueKeepsItsSealedTextAndAChangedOneIsSealedAgain() {
    AppSpec first = secrets.seal(spec("hello", Map.of("API_KEY", "a", "TOKEN", "t")), null);
    AppSpec again = secrets.seal(spec("hello", Map.of("API_KEY", "a", "TOKEN", "t")), first);
    assertEquals(first, again);
    AppSpec changed = secrets.seal(spec("hello", Map.of("API_KEY", "b", "TOKEN", "t")), first);
    assertNotEquals(first.getSecretsMap().get("API_KEY"), changed.getSecretsMap().get("API_KEY"));
    assertEquals(first.getSecretsMap().get("TOKEN"), changed.getSecretsMap().get("TOKEN"));
    // another app's stored spec is never a source of sealed values
    AppSpec other = secrets.seal(spec("other", Map.of("API_KEY", "a", "TOKEN", "t")), first);
    assertNotEquals(first.getSecretsMap().get("API_KEY"), other.getSecretsMap().get("API_KEY"));
    assertEquals("a", secrets.open(other).getSecretsMap().get("API_KEY"));
  }

  @Test
  void aSpecWithoutSecretsPassesUntouched() {
    AppSpec plain = spec("hello", Map.of());
    assertSame(plain, secrets.seal(plain, null));
    assertSame(plain, secrets.open(plain));
    assertSame(plain, SpecSecrets.masked(plain));
  }

  @Test
  void maskingKeepsNamesOnly() {
    AppSpec masked = SpecSecrets.masked(secrets.seal(spec("hello", Map.of("API_KEY", "k-123456")), null));
    assertEquals(Map.of("API_KEY", "(secret)"), masked.getSecretsMap());
  }

  @Test
  void assignmentsAreOpenedAppByApp() {
    AppSpec sealed = secrets.seal(spec("hello", Map.of("API_KEY", "k-123456")), null);
    Assignments stored = Assignments.newBuilder()
        .addAssignments(Assignment.newBuilder().setApp("hello").setRevision(3).setSpec(sealed))
        .addAssignments(Assignment.newBuilder().setApp("plain").setRevision(1).setSpec(spec("plain", Map.of())))
        .build();
    Assignments opened = secrets.open(stored);
    assertEquals("k-123456", opened.getAssignments(0).getSpec().getSecretsMap().get("API_KEY"));
    assertEquals(stored.getAssignments(1), opened.getAssignments(1));
  }

  @Test
  void aValueThatIsNotSealedIsRefusedNamingTheSecret() {
    AppSpec broken = spec("hello", Map.of("API_KEY", "k-123456"));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> secrets.open(broken));
    assertEquals("secret API_KEY of app hello: not a sealed secret (expected v1:<key id>:<fingerprint>:<ciphertext>)",
        e.getMessage());
  }

  @Test
  void theKeyOfAProvidedCertificateIsSealedKeptWhenUnchangedOpenedForHostsAndMasked() {
    String key = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n";
    AppSpec.Builder b = spec("shop", Map.of()).toBuilder();
    b.getNginxBuilder().addDomains("shop.local").getTlsBuilder().setCertificate("CERT").setKey(key);
    AppSpec clear = b.build();
    AppSpec sealed = secrets.seal(clear, null);
    assertFalse(sealed.toString().contains("MIGHAgEA"), sealed.toString());
    assertEquals("CERT", sealed.getNginx().getTls().getCertificate());
    assertEquals(sealed, secrets.seal(clear, sealed), "an unchanged key keeps its sealed text");
    assertEquals(clear, secrets.open(sealed));
    Assignments opened = secrets.open(Assignments.newBuilder()
        .addAssignments(Assignment.newBuilder().setApp("shop").setSpec(sealed)).build());
    assertEquals(key, opened.getAssignments(0).getSpec().getNginx().getTls().getKey());
    assertEquals("(secret)", SpecSecrets.masked(sealed).getNginx().getTls().getKey());
  }
}
