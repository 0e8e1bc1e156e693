package io.drover.agent.connect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.drover.server.security.CertificateAuthority;
import io.drover.tls.Keys;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;

/** The agent's hand-made PKCS#10 request, read back by the server's CA code (BouncyCastle). */
class CertificateRequestTest {
  @Test
  void theServerReadsTheKeyAndVerifiesTheSignature() {
    for (int i = 0; i < 20; i++) {
      KeyPair pair = Keys.newKeyPair();
      byte[] der = CertificateRequest.of(pair);
      assertArrayEquals(pair.getPublic().getEncoded(), CertificateAuthority.csrKey(der).getEncoded());
    }
  }

  @Test
  void aRequestSignedWithAnotherKeyIsRefused() {
    KeyPair mine = Keys.newKeyPair();
    KeyPair other = Keys.newKeyPair();
    byte[] der = CertificateRequest.of(new KeyPair(mine.getPublic(), other.getPrivate()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CertificateAuthority.csrKey(der));
    org.junit.jupiter.api.Assertions.assertEquals("csr: signature does not match its key", e.getMessage());
  }
}
