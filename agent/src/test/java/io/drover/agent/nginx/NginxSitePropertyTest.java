package io.drover.agent.nginx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.agent.host.AtomicFile;
import io.drover.agent.host.HostCommand;
import io.drover.agent.hostile.HostileStrings;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.NginxSpec;
import io.drover.spec.SpecRules;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random hostile app names, domains and log paths, and random {@link SiteOptions} (static prefixes
 * in a hostile release path, body sizes, proxy timeouts), against the real {@code nginx -t}: what {@link
 * SpecRules} accepts renders to a site that nginx accepts and that has exactly the intended
 * directives; what it refuses gets an error naming the field, and {@link NginxSite} refuses it too.
 */
class NginxSitePropertyTest {
  private static final int CASES = 120;
  private static final InetSocketAddress INGRESS = new InetSocketAddress("127.0.0.1", 8080);

  @TempDir Path dir;

  @Test
  void acceptedValuesRenderExactlyTheIntendedDirectivesAndRefusedOnesAreNamed() throws IOException {
    HostileStrings hostile = HostileStrings.seeded();
    Path sites = Files.createDirectories(dir.resolve("sites"));
    Path conf = dir.resolve("nginx.conf");
    AtomicFile.write(conf, "pid " + dir.resolve("nginx.pid") + ";\nerror_log " + dir.resolve("error.log") + ";\n"
        + "events {}\nhttp {\n  include " + sites + "/*.conf;\n}\n");
    Nginx nginx = new Nginx(sites, List.of("/usr/sbin/nginx", "-p", dir.toString(), "-c", conf.toString()));
    nginx.writeInclude(NginxSite.LOG_FORMAT_FILE, NginxSite.HTTP_CONTEXT);
    int accepted = 0;
    for (int i = 0; i < CASES; i++) {
      String app = hostile.chance(85) ? "app" + i : hostile.next(3);
      List<String> domains = new ArrayList<>();
      for (int d = 1 + hostile.random().nextInt(3); d > 0; d--) {
        domains.add(hostile.chance(85) ? hostile.domain() : hostile.next(4));
      }
      String logDir = hostile.chance(40) ? "logs" : hostile.pathSegment(3);
      Path accessLog = dir.resolve("l" + i).resolve(logDir).resolve("access.log");
      int port = 1 + hostile.random().nextInt(65535);
      String context = hostile.rerun() + ", case " + i + ": app " + HostileStrings.show(app) + ", domains "
          + domains.stream().map(HostileStrings::show).toList() + ", log dir " + HostileStrings.show(logDir);

      List<String> problems = SpecRules.checkBeforeBundle(AppSpec.newBuilder().setName(app)
          .setNginx(NginxSpec.newBuilder().addAllDomains(domains)).build()).stream()
          .filter(p -> p.startsWith("name:") || p.startsWith("nginx.domains")).toList();
      boolean pathRenderable = renderablePath(accessLog.toString());
      if (!problems.isEmpty() || !pathRenderable) {
        if (!problems.isEmpty()) {
          assertTrue(problems.stream().allMatch(p -> p.startsWith("name: must match") || p.startsWith("nginx.domains[")),
              context + ": " + problems);
        }
        boolean duplicatesOnly = problems.stream().allMatch(p -> p.endsWith("is listed twice"));
        if (!duplicatesOnly || !pathRenderable) {
          assertThrows(IllegalArgumentException.class, () -> new NginxSite(app, INGRESS, domains, accessLog, port), context);
        }
        continue;
      }
      accepted++;
      Files.createDirectories(accessLog.getParent());
      SiteOptions options = options(hostile, accessLog.getParent());
      context += ", options " + options;
      NginxSite site = new NginxSite(app, INGRESS, domains, accessLog, port, options);
      Files.writeString(nginx.siteFile(app), site.render());
      HostCommand.Result test = HostCommand.run(List.of("/usr/sbin/nginx", "-t", "-p", dir.toString(), "-c", conf.toString()),
          Duration.ofSeconds(30));
      assertTrue(test.ok(), context + ": nginx -t refused\n" + site.render() + "\n" + test.output());
      assertEquals(expected(domains, accessLog, port, options), NginxTokens.directives(Files.readString(nginx.siteFile(app))),
          context);
      Files.delete(nginx.siteFile(app));
    }
    assertTrue(accepted >= CASES / 5, hostile.rerun() + ": too few accepted cases to mean much: " + accepted);
  }

  @Test
  void theTokenizerSeesSmuggledDirectives() {
    assertEquals(List.of("server {", "listen 80", "}", "return 302 x"),
        NginxTokens.directives("server { listen 80; } # c\nreturn \"302\" 'x';"));
  }

  /** Whether the path can be quoted for nginx and created here (no NUL; a name no longer than 255 bytes). */
  private static boolean renderablePath(String path) {
    try {
      NginxSite.quoted(path);
    } catch (IllegalArgumentException e) {
      return false;
    }
    for (String part : path.split("/")) {
      if (part.getBytes(StandardCharsets.UTF_8).length > 255 || part.equals("..")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Random options: none at times, else static prefixes (the release directory beside the hostile
   * log directory), a body size and a proxy timeout, each at times.
   */
  private static SiteOptions options(HostileStrings hostile, Path release) {
    if (hostile.chance(25)) {
      return SiteOptions.NONE;
    }
    java.util.Map<String, String> statics = new java.util.TreeMap<>();
    for (int n = hostile.random().nextInt(3); n > 0; n--) {
      String prefix = hostile.random().nextBoolean() ? "/static/" : "/m" + hostile.random().nextInt(100) + "/a-b.c~d/";
      statics.put(prefix, List.of("static/", "public", "0", "a/b.c/", "_x~y-z").get(hostile.random().nextInt(5)));
    }
    String size = hostile.chance(50) ? "" : hostile.random().nextInt(1000) + List.of("", "k", "m", "G").get(hostile.random().nextInt(4));
    Duration timeout = hostile.chance(30) ? null : Duration.ofSeconds(1 + hostile.random().nextInt(3600));
    return new SiteOptions(release, statics, size, timeout);
  }

  private static List<String> expected(List<String> domains, Path accessLog, int port, SiteOptions options) {
    List<String> d = new ArrayList<>(List.of(
        "server {",
        "listen 127.0.0.1:8080",
        "server_name " + String.join(" ", domains),
        "access_log " + accessLog + " drover"));
    if (!options.clientMaxBodySize().isEmpty()) {
      d.add("client_max_body_size " + options.clientMaxBodySize());
    }
    options.statics().forEach((prefix, directory) -> d.addAll(List.of(
        "location ^~ " + prefix + " {",
        "alias " + options.release().resolve(directory) + "/",
        "expires 1h",
        "}")));
    d.addAll(List.of(
        "location / {",
        "proxy_pass http://127.0.0.1:" + port,
        "proxy_http_version 1.1",
        "proxy_set_header Upgrade $http_upgrade",
        "proxy_set_header Connection $drover_connection_upgrade",
        "proxy_set_header Host $host",
        "proxy_set_header X-Real-IP $remote_addr",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for",
        "proxy_set_header X-Forwarded-Proto $scheme"));
    if (options.proxyTimeout() != null) {
      d.add("proxy_read_timeout " + options.proxyTimeout().toSeconds() + "s");
      d.add("proxy_send_timeout " + options.proxyTimeout().toSeconds() + "s");
    }
    d.addAll(List.of("}", "}"));
    return d;
  }

  /**
   * nginx's own tokenizing (ngx_conf_read_token), small: words split by white space, {@code "..."}
   * and {@code '...'} with backslash escapes, {@code #} comments, {@code ;} ending a directive,
   * {@code { }} blocks. Returns each directive as its words joined by a space, "NAME ... {" for a
   * block's start and "}" for its end.
   */
  static final class NginxTokens {
    private NginxTokens() {}

    static List<String> directives(String text) {
      List<String> out = new ArrayList<>();
      List<String> words = new ArrayList<>();
      int i = 0;
      while (i < text.length()) {
        char c = text.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (c == '#') {
          while (i < text.length() && text.charAt(i) != '\n') {
            i++;
          }
        } else if (c == ';' || c == '{') {
          out.add(String.join(" ", words) + (c == '{' ? " {" : ""));
          words.clear();
          i++;
        } else if (c == '}') {
          assertTrue(words.isEmpty(), "unterminated directive before }: " + words);
          out.add("}");
          i++;
        } else if (c == '"' || c == '\'') {
          StringBuilder w = new StringBuilder();
          i++;
          while (text.charAt(i) != c) {
            if (text.charAt(i) == '\\' && (text.charAt(i + 1) == c || text.charAt(i + 1) == '\\')) {
              i++;
            }
            w.append(text.charAt(i++));
          }
          i++;
          words.add(w.toString());
        } else {
          StringBuilder w = new StringBuilder();
          while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && ";{}\"'".indexOf(text.charAt(i)) < 0) {
            w.append(text.charAt(i++));
          }
          words.add(w.toString());
        }
      }
      assertFalse(!words.isEmpty(), "unterminated directive at the end: " + words);
      return out;
    }
  }
}
