package io.drover.agent.nginx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.agent.host.AtomicFile;
import io.drover.agent.host.HostCommand;
import io.drover.agent.hostile.HostileStrings;
import io.drover.testing.TestCertificates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random HTTPS sites (with and without a certificate yet, HSTS, trusted proxies, ACME challenges,
 * several apps on one TLS port) against the real {@code nginx -t}; each has the directives its
 * settings call for and no others.
 */
class SiteHttpsPropertyTest {
  private static final int CASES = 60;
  private static final InetSocketAddress INGRESS = new InetSocketAddress("127.0.0.1", 8080);

  @TempDir Path dir;

  @Test
  void everyRandomHttpsSitePassesNginxAndHasItsDirectives() throws IOException {
    HostileStrings hostile = HostileStrings.seeded();
    Random random = hostile.random();
    Path sites = Files.createDirectories(dir.resolve("sites"));
    Path conf = dir.resolve("nginx.conf");
    AtomicFile.write(conf, "pid " + dir.resolve("nginx.pid") + ";\nerror_log " + dir.resolve("error.log") + ";\n"
        + "events {}\nhttp {\n  include " + sites + "/*.conf;\n}\n");
    Nginx nginx = new Nginx(sites, List.of("/usr/sbin/nginx", "-p", dir.toString(), "-c", conf.toString()));
    nginx.writeInclude(NginxSite.LOG_FORMAT_FILE, NginxSite.HTTP_CONTEXT + NginxSite.VARIABLES_HASH);
    TestCertificates.Issued cert = TestCertificates.selfSigned(dir, "site", List.of("a.example.com"));
    InetSocketAddress tls = new InetSocketAddress("127.0.0.1", 8443 + random.nextInt(100));
    Files.writeString(sites.resolve(SiteHttps.DEFAULT_SERVER_FILE), SiteHttps.defaultServer(tls));
    for (int i = 0; i < CASES; i++) {
      String app = "app-" + i;
      boolean serving = random.nextInt(3) > 0;
      List<String> proxies = new ArrayList<>();
      for (int p = random.nextInt(3); p > 0; p--) {
        proxies.add(random.nextBoolean() ? random.nextInt(224) + "." + random.nextInt(256) + ".0.0/16"
            : "2001:db8:" + Integer.toHexString(random.nextInt(65536)) + "::/48");
      }
      Path challenges = random.nextBoolean() ? dir.resolve("challenges").resolve(hostile.pathSegment(2)) : null;
      boolean hsts = serving && random.nextBoolean();
      String context = hostile.rerun() + ", case " + i;
      if (challenges != null && !renderable(challenges)) {
        Path c = challenges;
        assertThrows(IllegalArgumentException.class, () -> new SiteTls(tls, null, null, false, proxies, c), context);
        continue;
      }
      SiteTls siteTls = new SiteTls(tls, serving ? cert.certificateFile() : null, serving ? cert.keyFile() : null, hsts,
          proxies, challenges);
      Path accessLog = dir.resolve("logs").resolve(app + ".log");
      Files.createDirectories(accessLog.getParent());
      NginxSite site = new NginxSite(app, INGRESS, List.of(app + ".example.com"), accessLog, 9000 + i, siteTls);
      Files.writeString(nginx.siteFile(app), site.render());
      HostCommand.Result test = HostCommand.run(List.of("/usr/sbin/nginx", "-t", "-p", dir.toString(), "-c",
          conf.toString()), Duration.ofSeconds(30));
      assertTrue(test.ok(), context + ": nginx -t refused\n" + site.render() + "\n" + test.output());
      assertFalse(test.output().contains("[warn]"), context + ": nginx warned\n" + test.output());
      List<String> directives = NginxSitePropertyTest.NginxTokens.directives(site.render());
      String port = tls.getPort() == 443 ? "" : ":" + tls.getPort();
      assertEquals(serving ? 1 : 0, count(directives, "listen 127.0.0.1:" + tls.getPort() + " ssl http2"), context);
      assertEquals(serving ? 1 : 0, count(directives, "return 301 https://$host" + port + "$request_uri"), context);
      assertEquals(serving ? 1 : 0, count(directives, "ssl_protocols TLSv1.2 TLSv1.3"), context);
      assertEquals(hsts ? 1 : 0, count(directives, "add_header Strict-Transport-Security max-age=63072000 always"), context);
      assertEquals(challenges != null ? 1 : 0, count(directives, "location ^~ /.well-known/acme-challenge/ {"), context);
      assertEquals(serving && !proxies.isEmpty() ? 2 : 1, count(directives, "proxy_pass http://127.0.0.1:" + (9000 + i)), context);
      assertEquals(proxies.isEmpty() ? 0 : serving ? 2 : 1, count(directives, "real_ip_header X-Forwarded-For"), context);
      for (String range : proxies) {
        assertEquals(serving ? 2 : 1, count(directives, "set_real_ip_from " + range), context);
      }
      // nginx's own scheme over HTTPS; on port 80 a trusted proxy's, or nginx's own
      assertEquals(proxies.isEmpty() ? 1 : serving ? 1 : 0,
          count(directives, "proxy_set_header X-Forwarded-Proto $scheme"), context);
      assertEquals(proxies.isEmpty() ? 0 : 1,
          count(directives, "proxy_set_header X-Forwarded-Proto $drover_app_" + i + "_proto"), context);
    }
  }

  @Test
  void aSiteWithoutTlsRendersAsBefore() {
    Path log = dir.resolve("access.log");
    assertEquals(new NginxSite("hello", INGRESS, List.of("hello.local"), log, 9000).render(),
        new NginxSite("hello", INGRESS, List.of("hello.local"), log, 9000, SiteTls.NONE).render());
  }

  @Test
  void refusesWhatCannotBeRendered() {
    Path cert = dir.resolve("c.pem");
    assertThrows(IllegalArgumentException.class, () -> new SiteTls(null, cert, cert, false, List.of(), null));
    assertThrows(IllegalArgumentException.class,
        () -> new SiteTls(INGRESS, cert, null, false, List.of(), null));
    assertThrows(IllegalArgumentException.class,
        () -> new SiteTls(INGRESS, null, null, false, List.of("10.0.0.0/8; }"), null));
    assertThrows(IllegalArgumentException.class,
        () -> new SiteTls(INGRESS, dir.resolve("$x"), cert, false, List.of(), null));
  }

  private static boolean renderable(Path p) {
    try {
      NginxSite.quoted(p + "/");
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static long count(List<String> directives, String directive) {
    return directives.stream().filter(directive::equals).count();
  }
}
