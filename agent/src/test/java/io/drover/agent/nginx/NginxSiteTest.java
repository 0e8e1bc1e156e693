package io.drover.agent.nginx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.agent.host.AtomicFile;
import io.drover.agent.host.HostCommand;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NginxSiteTest {
  private static final InetSocketAddress INGRESS = new InetSocketAddress("127.0.0.1", 8080);

  @Test
  void rendersAServerBlockProxyingToTheInstance() {
    String text = new NginxSite("hello", INGRESS, List.of("hello.local", "www.hello.local"),
        Path.of("/data/logs/hello/access.log"), 41234).render();
    assertTrue(text.contains("listen 127.0.0.1:8080;"), text);
    assertTrue(text.contains("server_name hello.local www.hello.local;"), text);
    assertTrue(text.contains("access_log \"/data/logs/hello/access.log\" drover;"), text);
    assertTrue(text.contains("proxy_pass http://127.0.0.1:41234;"), text);
    assertTrue(text.contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;"), text);
    assertTrue(text.contains("proxy_set_header X-Forwarded-Proto $scheme;"), text);
  }

  @Test
  void servesStaticPrefixesFromTheReleaseLimitsBodiesPassesUpgradesAndFollowsTheTimeout() {
    String text = new NginxSite("hello", INGRESS, List.of("hello.local"), Path.of("/data/logs/hello/access.log"), 41234,
        new SiteOptions(Path.of("/data/releases/hello/3"), java.util.Map.of("/static/", "static/", "/media/", "uploads"),
            "20m", java.time.Duration.ofSeconds(35))).render();
    assertTrue(text.contains("  client_max_body_size 20m;\n"), text);
    assertTrue(text.contains("  location ^~ /static/ {\n    alias \"/data/releases/hello/3/static/\";\n    expires 1h;\n  }\n"), text);
    assertTrue(text.contains("  location ^~ /media/ {\n    alias \"/data/releases/hello/3/uploads/\";\n"), text);
    assertTrue(text.contains("    proxy_http_version 1.1;\n    proxy_set_header Upgrade $http_upgrade;\n"
        + "    proxy_set_header Connection $drover_connection_upgrade;\n"), text);
    assertTrue(text.contains("    proxy_read_timeout 35s;\n    proxy_send_timeout 35s;\n"), text);
    assertThrows(IllegalArgumentException.class, () -> new SiteOptions(Path.of("/r"), java.util.Map.of("/s/", "../etc"), "", null));
    assertThrows(IllegalArgumentException.class, () -> new SiteOptions(Path.of("/r"), java.util.Map.of("/s;/", "s"), "", null));
    assertThrows(IllegalArgumentException.class, () -> new SiteOptions(Path.of("/r"), java.util.Map.of(), "20mb", null));
  }

  @Test
  void bracketsIpv6Listen() {
    assertEquals("[0:0:0:0:0:0:0:1]:80", NginxSite.listenAddress(new InetSocketAddress("::1", 80)));
  }

  @Test
  void refusesDomainsThatWouldBreakTheConfig() {
    assertThrows(IllegalArgumentException.class,
        () -> new NginxSite("hello", INGRESS, List.of("evil; }"), Path.of("/l"), 1));
    assertThrows(IllegalArgumentException.class, () -> new NginxSite("hello", INGRESS, List.of(), Path.of("/l"), 1));
    for (String bad : List.of("a\nb", "a;b", "a{b", "a}b", "\"a\"", "'a'", "a#b", "$host", "a b", "A.example", "a\0b")) {
      assertThrows(IllegalArgumentException.class,
          () -> new NginxSite("hello", INGRESS, List.of(bad), Path.of("/l"), 1), bad);
    }
    assertThrows(IllegalArgumentException.class,
        () -> new NginxSite("hello;", INGRESS, List.of("hello.local"), Path.of("/l"), 1));
    for (String badPath : List.of("/l/$host", "/l/\"x", "/l/a\nb", "/l/a\\b")) {
      assertThrows(IllegalArgumentException.class,
          () -> new NginxSite("hello", INGRESS, List.of("hello.local"), Path.of(badPath), 1), badPath);
    }
  }

  /**
   * The rendered site and log format pass the real nginx -t (the format file sorts before every
   * site, as nginx includes a glob in order); a broken site is rolled back.
   */
  @Test
  void realNginxAcceptsTheRenderedSiteAndRollsBackABrokenOne(@TempDir Path dir) throws Exception {
    Path sites = Files.createDirectories(dir.resolve("sites"));
    Path conf = dir.resolve("nginx.conf");
    AtomicFile.write(conf, "pid " + dir.resolve("nginx.pid") + ";\nerror_log " + dir.resolve("error.log") + ";\n"
        + "events {}\nhttp {\n  include " + sites + "/*.conf;\n}\n");
    List<String> nginxCmd = List.of("/usr/sbin/nginx", "-p", dir.toString(), "-c", conf.toString());
    Nginx nginx = new Nginx(sites, nginxCmd);
    nginx.writeInclude(NginxSite.LOG_FORMAT_FILE, NginxSite.HTTP_CONTEXT);
    AtomicFile.write(nginx.siteFile("alpha"), new NginxSite("alpha", INGRESS, List.of("alpha.local"),
        dir.resolve("access.log"), 41234).render());
    HostCommand.Result ok = nginx.test();
    assertTrue(ok.ok(), ok.output());

    // a site whose access log cannot be opened: nginx's refusal is reported and the file removed
    NginxSite broken = new NginxSite("broken", INGRESS, List.of("broken.local"), Path.of("/nonexistent-dir/x/access.log"), 1);
    Nginx.NginxConfigException e = assertThrows(Nginx.NginxConfigException.class, () -> nginx.apply(broken));
    assertTrue(e.getMessage().contains("nginx"), e.getMessage());
    assertFalse(Files.exists(nginx.siteFile("broken")));
    assertTrue(nginx.test().ok());
  }
}
