package io.drover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.testing.TestCertificates;
import io.drover.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS with real processes: a provided certificate served by two sandboxed hosts' nginx (checked
 * with curl against that certificate), port 80 redirecting, HSTS, unknown names refused at the
 * handshake, the app seeing https; the refusals at apply; an app behind a TLS-terminating nginx
 * trusting only it; and the certificate's key nowhere in clear but on the hosts that serve it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsSystemTest {
  private static final String SCHEME_APP = String.join("\n",
      "import os",
      "from flask import Flask, request",
      "app = Flask(__name__)",
      "@app.route('/')",
      "def index():",
      "    return os.environ.get('GREETING', 'Hello') + '\\n'",
      "@app.route('/scheme')",
      "def scheme():",
      "    return request.scheme + ' ' + request.headers.get('X-Real-IP', '-') + '\\n'",
      "@app.route('/healthz')",
      "def healthz():",
      "    return 'ok\\n'",
      "");

  private TestDatabase db;
  private Fleet fleet;
  private Path tmp;
  private final List<Integer> tlsPorts = new ArrayList<>();
  private Path frontNginx;

  @BeforeAll
  void startFleet(@TempDir Path tmp) {
    this.tmp = tmp;
    db = TestDatabase.create();
    fleet = new Fleet(tmp.resolve("fleet"), db.url(), "tls");
    fleet.startServer();
    for (String host : List.of("web-1", "web-2")) {
      int port = Fleet.freePort();
      tlsPorts.add(port);
      fleet.startAgentWithTls(host, "role=web", port);
    }
  }

  @AfterAll
  void stopFleet() throws Exception {
    if (frontNginx != null) {
      new ProcessBuilder("/usr/sbin/nginx", "-p", frontNginx.toString(), "-c", frontNginx.resolve("nginx.conf").toString(),
          "-s", "quit").start().waitFor(30, TimeUnit.SECONDS);
    }
    if (fleet != null) {
      fleet.close();
    }
    if (db != null) {
      db.close();
    }
  }

  private Path app(String name, String nginx) throws IOException {
    Path spec = Examples.copy("hello", tmp.resolve(name));
    Files.writeString(spec.resolveSibling("app/app.py"), SCHEME_APP);
    Examples.edit(spec, "name: hello", "name: " + name);
    Examples.edit(spec, "nginx: {domains: [hello.local]}", nginx);
    return spec;
  }

  @Test
  void aProvidedCertificateIsServedOnEveryHostAndItsKeyStaysOnThem() throws Exception {
    Path dir = tmp.resolve("shop");
    Path spec = app("shop", "nginx: {domains: [shop.local, www.shop.local], tls: {certificate: ./tls/shop.crt, "
        + "key: ./tls/shop.key}, hsts: true}");
    TestCertificates.Issued cert = TestCertificates.selfSigned(dir.resolve("tls"), "shop",
        List.of("shop.local", "www.shop.local"));
    fleet.cli("apply", "-f", spec.toString(), "--wait").requireSuccess();

    for (int i = 0; i < 2; i++) {
      Fleet.Agent agent = fleet.agent("web-" + (i + 1));
      int port = tlsPorts.get(i);
      Curl ok = curl(cert.certificateFile(), "www.shop.local", port, "/scheme");
      assertEquals(0, ok.exit(), ok.err());
      assertTrue(ok.head().startsWith("HTTP/2 200"), ok.head());
      assertTrue(ok.head().contains("strict-transport-security: max-age=63072000"), ok.head());
      assertTrue(ok.body().startsWith("https "), "the app sees https: " + ok.body());

      Http.Response plain = agent.get("shop.local", "/scheme?x=1");
      assertEquals(301, plain.status());
      assertEquals("https://shop.local:" + port + "/scheme?x=1", plain.header("Location"));

      Curl unknown = curl(cert.certificateFile(), "other.local", port, "/");
      assertNotEquals(0, unknown.exit(), "a name no app has gets no certificate: " + unknown.head());

      try (Stream<Path> files = Files.walk(agent.dataDir.resolve("tls"))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
        }
      }
    }

    com.fasterxml.jackson.databind.JsonNode certs = fleet.json("certs", "shop", "-o", "json");
    assertEquals(1, certs.size(), certs.toString());
    assertEquals("valid", certs.get(0).path("state").asText(), certs.toString());
    assertEquals("provided", certs.get(0).path("source").asText(), certs.toString());
    assertEquals("CN=shop.local", certs.get(0).path("issuer").asText(), certs.toString());
    assertFalse(certs.get(0).path("serial").asText().isEmpty(), certs.toString());
    assertFalse(certs.get(0).path("not_after").asText().isEmpty(), certs.toString());
    assertEquals("[\"shop.local\",\"www.shop.local\"]", certs.get(0).path("domains").toString());

    // a renewed certificate: a new revision, served by both hosts, the old files gone
    TestCertificates.Issued renewed = TestCertificates.selfSigned(dir.resolve("tls"), "shop",
        List.of("shop.local", "www.shop.local"));
    assertTrue(fleet.cli("apply", "-f", spec.toString(), "--wait").requireSuccess().out().contains("revision 2"));
    for (int i = 0; i < 2; i++) {
      Curl ok = curl(renewed.certificateFile(), "shop.local", tlsPorts.get(i), "/");
      assertEquals(0, ok.exit(), "served with the renewed certificate: " + ok.err());
      try (Stream<Path> files = Files.list(fleet.agent("web-" + (i + 1)).dataDir.resolve("tls/shop"))) {
        assertEquals(2, files.count(), "the chain and key of the certificate that serves, no others");
      }
    }
    cert = renewed;

    // the key: in the hosts' certificate files and their agents' own state, nowhere else
    String keyLine = cert.key().lines().skip(1).findFirst().orElseThrow();
    for (int i = 1; i <= 2; i++) {
      Fleet.Agent agent = fleet.agent("web-" + i);
      for (String file : Leaks.filesHolding(keyLine, agent)) {
        assertTrue(file.startsWith(agent.dataDir.resolve("tls").toString())
            || file.equals(agent.dataDir.resolve("state/assignments.pb").toString()), "the key in " + file);
      }
      assertFalse(Leaks.filesHolding(keyLine, agent).isEmpty(), "the host has the key");
    }
    String printed = fleet.cli("certs").requireSuccess().out() + certs + fleet.cli("get", "shop").requireSuccess().out() + fleet.json("get", "shop", "-o", "json")
        + fleet.cli("history", "shop").requireSuccess().out() + fleet.cli("audit").out();
    assertFalse(printed.contains(keyLine), printed);
    assertTrue(printed.contains("(secret)"), printed);
    String rows = Leaks.everyRow(db.url());
    assertFalse(rows.contains(keyLine), "the key in clear in the database");
    assertFalse(rows.contains(HexFormat.of().formatHex(keyLine.getBytes(StandardCharsets.UTF_8))),
        "the key in clear in the database (bytes)");
    for (String process : List.of("server", "web-1", "web-2")) {
      assertFalse(Files.readString(fleet.log(process)).contains(keyLine), "the key in the log of " + process);
    }
  }

  @Test
  void badCertificatesAndWildcardsWithAcmeAreRefusedNamingTheField() throws Exception {
    Path spec = app("bad", "nginx: {domains: [bad.local, api.bad.local], tls: {certificate: ./tls/bad.crt, "
        + "key: ./tls/other.key}}");
    Path tls = tmp.resolve("bad").resolve("tls");
    TestCertificates.selfSigned(tls, "bad", List.of("bad.local"));
    TestCertificates.selfSigned(tls, "other", List.of("bad.local"));
    Drover.Result refused = fleet.cli("apply", "-f", spec.toString());
    assertNotEquals(0, refused.exit());
    assertTrue(refused.err().contains("nginx.tls.key: does not match the certificate"), refused.err());
    assertTrue(refused.err().contains("nginx.tls.certificate: does not cover api.bad.local"), refused.err());
    assertFalse(refused.err().contains("PRIVATE KEY"), refused.err());

    Examples.edit(spec, "tls: {certificate: ./tls/bad.crt, key: ./tls/other.key}", "tls: acme");
    Examples.edit(spec, "api.bad.local", "\"*.bad.local\"");
    Drover.Result wildcard = fleet.cli("apply", "-f", spec.toString());
    assertNotEquals(0, wildcard.exit());
    assertTrue(wildcard.err().contains("nginx.tls: acme cannot get a certificate for the wildcard domain *.bad.local"),
        wildcard.err());
    assertTrue(fleet.cli("apps").out().lines().noneMatch(l -> l.startsWith("bad ")), "nothing applied");
  }

  @Test
  void behindProxyTrustsTheSchemeAndAddressOfItsProxiesOnly() throws Exception {
    Path spec = app("edge", "nginx: {domains: [edge.local], behind_proxy: [127.0.0.2/32]}");
    fleet.cli("apply", "-f", spec.toString(), "--wait").requireSuccess();
    Fleet.Agent agent = fleet.agent("web-1");

    // a TLS-terminating nginx in front, connecting from 127.0.0.2
    TestCertificates.Issued cert = TestCertificates.selfSigned(tmp.resolve("front"), "edge", List.of("edge.local"));
    frontNginx = Files.createDirectories(tmp.resolve("front").resolve("nginx"));
    int frontPort = Fleet.freePort();
    Files.writeString(frontNginx.resolve("nginx.conf"), "pid " + frontNginx.resolve("nginx.pid") + ";\n"
        + "error_log " + frontNginx.resolve("error.log") + ";\nevents {}\nhttp {\n"
        + "  access_log off;\n"
        + "  server {\n    listen 127.0.0.1:" + frontPort + " ssl;\n    server_name edge.local;\n"
        + "    ssl_certificate " + cert.certificateFile() + ";\n    ssl_certificate_key " + cert.keyFile() + ";\n"
        + "    location / {\n      proxy_pass http://127.0.0.1:" + agent.ingressPort + ";\n"
        + "      proxy_bind 127.0.0.2;\n      proxy_set_header Host $host;\n"
        + "      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
        + "      proxy_set_header X-Forwarded-Proto https;\n    }\n  }\n}\n");
    Process front = new ProcessBuilder("/usr/sbin/nginx", "-p", frontNginx.toString(), "-c",
        frontNginx.resolve("nginx.conf").toString()).redirectErrorStream(true).start();
    assertTrue(front.waitFor(30, TimeUnit.SECONDS) && front.exitValue() == 0,
        new String(front.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

    Curl viaProxy = curl(cert.certificateFile(), "edge.local", frontPort, "/scheme");
    assertEquals(0, viaProxy.exit(), viaProxy.err());
    assertEquals("https 127.0.0.1\n", viaProxy.body(), "the proxy's scheme and the client's own address");

    Http.Response spoofed = Http.get(agent.ingressPort, "edge.local", "/scheme",
        List.of("X-Forwarded-Proto: https", "X-Forwarded-For: 203.0.113.9"));
    assertEquals(200, spoofed.status());
    assertEquals("http 127.0.0.1\n", spoofed.body(), "a client outside behind_proxy claims neither");
  }

  private record Curl(int exit, String head, String body, String err) {}

  /** GET over HTTPS with curl, {@code name} resolved to 127.0.0.1:{@code port}, trusting {@code ca} only. */
  private static Curl curl(Path ca, String name, int port, String path) throws Exception {
    Path head = Files.createTempFile("curl", ".head");
    try {
      Process p = new ProcessBuilder("curl", "-sS", "--max-time", "10", "--cacert", ca.toString(), "--resolve",
          name + ":" + port + ":127.0.0.1", "-D", head.toString(), "https://" + name + ":" + port + path).start();
      String body = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(20, TimeUnit.SECONDS), "curl hung");
      return new Curl(p.exitValue(), Files.readString(head), body, err);
    } finally {
      Files.deleteIfExists(head);
    }
  }
}
