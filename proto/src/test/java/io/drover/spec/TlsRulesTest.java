package io.drover.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.api.v1.AppSpec;
import io.drover.api.v1.GunicornSpec;
import io.drover.api.v1.HealthSpec;
import io.drover.api.v1.NginxSpec;
import io.drover.api.v1.PlacementSpec;
import io.drover.api.v1.TlsSpec;
import io.drover.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules of nginx.tls, nginx.hsts and nginx.behind_proxy, with certificates openssl made. */
class TlsRulesTest {
  private static final List<String> DOMAINS = List.of("shop.example.com", "www.shop.example.com");

  @TempDir Path dir;

  private static AppSpec spec(NginxSpec.Builder nginx) {
    return AppSpec.newBuilder().setName("shop").setBundleSha256("a".repeat(64))
        .setGunicorn(GunicornSpec.newBuilder().setApp("app:app"))
        .setNginx(nginx)
        .setHealth(HealthSpec.newBuilder().setPath("/healthz"))
        .setPlacement(PlacementSpec.newBuilder().setCount(1))
        .build();
  }

  private static TlsSpec provided(TestCertificates.Issued cert, String key) {
    return TlsSpec.newBuilder().setCertificate(cert.certificate()).setKey(key).build();
  }

  @Test
  void aProvidedCertificateCoveringEveryDomainWithItsKeyIsAccepted() {
    var cert = TestCertificates.selfSigned(dir, "shop", DOMAINS);
    assertEquals(List.of(), SpecRules.check(spec(NginxSpec.newBuilder().addAllDomains(DOMAINS)
        .setTls(provided(cert, cert.key())).setHsts(true))));
    var rsa = TestCertificates.selfSignedRsa(dir, "rsa", List.of("*.example.com", "shop.example.com"));
    assertEquals(List.of(), SpecRules.tlsProblems(provided(rsa, rsa.key()), List.of("shop.example.com",
        "www.example.com", "*.example.com"), Instant.now()), "a wildcard name covers one more label, and itself");
  }

  @Test
  void aKeyOfAnotherCertificateIsRefusedNamingTheKey() {
    var cert = TestCertificates.selfSigned(dir, "shop", DOMAINS);
    var other = TestCertificates.selfSigned(dir, "other", DOMAINS);
    List<String> problems = SpecRules.tlsProblems(provided(cert, other.key()), DOMAINS, Instant.now());
    assertEquals(1, problems.size(), problems::toString);
    assertTrue(problems.get(0).startsWith("nginx.tls.key: does not match the certificate"), problems::toString);
    assertFalse(problems.get(0).contains("PRIVATE"), "the problem never quotes the key");
  }

  @Test
  void aChainThatDoesNotCoverEveryDomainIsRefusedNamingTheDomain() {
    var cert = TestCertificates.selfSigned(dir, "shop", List.of("shop.example.com", "*.other.example.com"));
    List<String> problems = SpecRules.tlsProblems(provided(cert, cert.key()),
        List.of("shop.example.com", "www.shop.example.com", "a.b.other.example.com"), Instant.now());
    assertEquals(List.of(
        "nginx.tls.certificate: does not cover www.shop.example.com (it covers shop.example.com, *.other.example.com); "
            + "every domain in nginx.domains needs a name in the certificate",
        "nginx.tls.certificate: does not cover a.b.other.example.com (it covers shop.example.com, *.other.example.com); "
            + "every domain in nginx.domains needs a name in the certificate"), problems);
  }

  @Test
  void anExpiredCertificateIsRefused() {
    var cert = TestCertificates.selfSigned(dir, "shop", DOMAINS);
    List<String> problems = SpecRules.tlsProblems(provided(cert, cert.key()), DOMAINS,
        Instant.now().plus(Duration.ofDays(3)));
    assertEquals(1, problems.size(), problems::toString);
    assertTrue(problems.get(0).startsWith("nginx.tls.certificate: expired on "), problems::toString);
  }

  @Test
  void garbageAndOtherKeyFormatsAreRefusedWithAHint() {
    var cert = TestCertificates.selfSigned(dir, "shop", DOMAINS);
    assertEquals(List.of("nginx.tls.certificate: no PEM certificate (-----BEGIN CERTIFICATE-----) in it"),
        SpecRules.tlsProblems(TlsSpec.newBuilder().setCertificate("hello").setKey(cert.key()).build(), DOMAINS,
            Instant.now()));
    String pkcs1 = "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n";
    List<String> problems = SpecRules.tlsProblems(provided(cert, pkcs1), DOMAINS, Instant.now());
    assertEquals(List.of("nginx.tls.key: is a RSA PRIVATE KEY; convert it to PKCS#8 with openssl pkcs8 -topk8 -nocrypt "
        + "-in KEY -out KEY.pk8"), problems);
  }

  @Test
  void acmeRefusesWildcardDomainsNamingTheField() {
    List<String> problems = SpecRules.check(spec(NginxSpec.newBuilder().addDomains("shop.example.com")
        .addDomains("*.shop.example.com").setTls(TlsSpec.newBuilder().setAcme(true))));
    assertEquals(1, problems.size(), problems::toString);
    assertTrue(problems.get(0).startsWith("nginx.tls: acme cannot get a certificate for the wildcard domain "
        + "*.shop.example.com"), problems::toString);
    assertEquals(List.of(), SpecRules.check(spec(NginxSpec.newBuilder().addAllDomains(DOMAINS)
        .setTls(TlsSpec.newBuilder().setAcme(true)).setHsts(true))));
  }

  @Test
  void hstsNeedsTls() {
    assertEquals(List.of("nginx.hsts: needs nginx.tls (Strict-Transport-Security is sent over HTTPS); add tls: acme "
        + "or remove hsts"), SpecRules.check(spec(NginxSpec.newBuilder().addAllDomains(DOMAINS).setHsts(true))));
  }

  @Test
  void behindProxyTakesAddressesAndRangesOnly() {
    assertEquals(List.of(), SpecRules.check(spec(NginxSpec.newBuilder().addAllDomains(DOMAINS)
        .addAllBehindProxy(List.of("10.0.0.0/8", "192.168.1.7", "2001:db8::/32", "::1", "0.0.0.0/0")))));
    for (String bad : List.of("10.0.0.0/33", "256.1.1.1", "example.com", "10.0.0.0/8; }", "1.2.3", "::/129", "", "fe80::1%eth0",
        "10.0.0.0/", "01.2.3.4")) {
      assertEquals(List.of("nginx.behind_proxy[0]: \"" + bad.replace("\"", "\\\"")
              + "\" is not an IP address or CIDR range, e.g. 10.0.0.0/8 or 2001:db8::/32"),
          SpecRules.check(spec(NginxSpec.newBuilder().addAllDomains(DOMAINS).addBehindProxy(bad))), bad);
    }
  }

  @Test
  void theKeyIsMaskedAndTheCertificateShownByDigest() {
    var cert = TestCertificates.selfSigned(dir, "shop", DOMAINS);
    AppSpec spec = spec(NginxSpec.newBuilder().addAllDomains(DOMAINS).setTls(provided(cert, cert.key())));
    AppSpec masked = SpecFields.masked(spec);
    assertEquals(SpecFields.MASK, masked.getNginx().getTls().getKey());
    assertEquals(cert.certificate(), masked.getNginx().getTls().getCertificate());
    assertTrue(SpecFields.render(spec, "nginx.tls").matches("provided \\(sha256 [0-9a-f]{12}\\)"),
        SpecFields.render(spec, "nginx.tls"));
    assertFalse(SpecTree.write(spec).toString().contains("PRIVATE KEY"));
  }

  @Test
  void theFilesOfAProvidedCertificateAreReadByName() {
    var cert = TestCertificates.selfSigned(dir, "shop", DOMAINS);
    Map<String, String> files = Map.of("tls/shop.crt", cert.certificate(), "tls/shop.key", cert.key());
    SpecNode.Mapping root = new SpecNode.Mapping(Map.of(
        "name", new SpecNode.Text("shop"), "source", new SpecNode.Text("."),
        "gunicorn", new SpecNode.Mapping(Map.of("app", new SpecNode.Text("app:app"))),
        "health", new SpecNode.Mapping(Map.of("path", new SpecNode.Text("/"))),
        "placement", new SpecNode.Mapping(Map.of("count", SpecNode.Number.of(1))),
        "nginx", new SpecNode.Mapping(Map.of(
            "domains", new SpecNode.Sequence(List.of(new SpecNode.Text("shop.example.com"))),
            "tls", new SpecNode.Mapping(Map.of("certificate", new SpecNode.Text("tls/shop.crt"),
                "key", new SpecNode.Text("tls/missing.key")))))));
    SpecTree.Read read = SpecTree.read(root, s -> null, name -> {
      String text = files.get(name);
      if (text == null) {
        throw new java.nio.file.NoSuchFileException(name);
      }
      return text;
    });
    assertEquals(List.of("nginx.tls.key: cannot read tls/missing.key: no such file"), read.problems());
    assertEquals(List.of("nginx.tls: must be acme or {certificate: FILE, key: FILE}, got \"letsencrypt\""),
        SpecTree.read(withTls(root, new SpecNode.Text("letsencrypt")), s -> null).problems());
  }

  private static SpecNode.Mapping withTls(SpecNode.Mapping root, SpecNode tls) {
    var entries = new java.util.LinkedHashMap<>(root.entries());
    var nginx = new java.util.LinkedHashMap<>(((SpecNode.Mapping) root.get("nginx")).entries());
    nginx.put("tls", tls);
    entries.put("nginx", new SpecNode.Mapping(nginx));
    return new SpecNode.Mapping(entries);
  }
}
