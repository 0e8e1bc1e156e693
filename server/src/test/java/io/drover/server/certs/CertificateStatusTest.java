package io.drover.server.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.api.v1.AppSpec;
import io.drover.api.v1.NginxSpec;
import io.drover.api.v1.TlsSpec;
import io.drover.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code drover certs} says of stored specs, with a certificate openssl made. */
class CertificateStatusTest {
  @TempDir Path dir;

  private static AppSpec spec(NginxSpec.Builder nginx) {
    return AppSpec.newBuilder().setName("shop").setNginx(nginx.addDomains("shop.local")).build();
  }

  @Test
  void aProvidedCertificateIsValidUntilItExpiresAndNoKeyIsShown() {
    TestCertificates.Issued cert = TestCertificates.selfSigned(dir, "shop", List.of("shop.local"));
    AppSpec spec = spec(NginxSpec.newBuilder().setTls(TlsSpec.newBuilder().setCertificate(cert.certificate())
        .setKey("v1:0123456789abcdef:AAAA:BBBB")));
    CertificateStatus now = CertificateStatus.of(spec, Instant.now()).orElseThrow();
    assertEquals(CertificateState.VALID, now.state());
    assertEquals("CN=shop.local", now.issuer());
    assertEquals("provided", now.source());
    assertTrue(now.serial().matches("[0-9a-f]+"), now.serial());
    assertEquals("", now.lastError());
    assertTrue(now.notAfter().isAfter(now.notBefore()));
    CertificateStatus later = CertificateStatus.of(spec, Instant.now().plus(Duration.ofDays(2))).orElseThrow();
    assertEquals(CertificateState.FAILED, later.state());
    assertTrue(later.lastError().startsWith("expired on "), later.lastError());
    assertTrue(!now.toString().contains("BBBB"), "no key material: " + now);
  }

  @Test
  void acmeIsPendingAndSaysWhyAndAnAppWithoutTlsHasNone() {
    CertificateStatus acme = CertificateStatus.of(spec(NginxSpec.newBuilder().setTls(TlsSpec.newBuilder().setAcme(true))),
        Instant.now()).orElseThrow();
    assertEquals(CertificateState.PENDING, acme.state());
    assertEquals(CertificateStatus.NO_ACME_CLIENT, acme.lastError());
    assertEquals(Optional.empty(), CertificateStatus.of(spec(NginxSpec.newBuilder()), Instant.now()));
  }
}
