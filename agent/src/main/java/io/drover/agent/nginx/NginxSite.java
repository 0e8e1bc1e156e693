package io.drover.agent.nginx;

import io.drover.spec.SpecRules;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The server block of one app: its domains on the ingress, proxied to the instance's loopback port,
 * WebSocket upgrades passed on, and what {@link SiteOptions} asks: static prefixes served from the
 * release, the body size limit, the proxy timeouts; with {@link SiteTls} also its HTTPS server, the
 * redirect, HSTS and trusted proxies ({@link SiteHttps}).
 *
 * <p>Only values that cannot change the block's structure are rendered: the app name and the
 * domains must pass {@link SpecRules} again (lower-case DNS names hold no nginx syntax), the access
 * log path is double-quoted with {@code \} and {@code "} refused, as are {@code $} (nginx would read
 * a variable) and control characters; anything else throws {@link IllegalArgumentException}.
 */
public record NginxSite(String app, InetSocketAddress ingress, List<String> domains, Path accessLog, int port,
    SiteOptions options, SiteTls tls) {

  /** A site served over HTTP only, with no static files, nginx's body size limit and timeouts. */
  public NginxSite(String app, InetSocketAddress ingress, List<String> domains, Path accessLog, int port) {
    this(app, ingress, domains, accessLog, port, SiteOptions.NONE, SiteTls.NONE);
  }

  /** A site served over HTTP only. */
  public NginxSite(String app, InetSocketAddress ingress, List<String> domains, Path accessLog, int port,
      SiteOptions options) {
    this(app, ingress, domains, accessLog, port, options, SiteTls.NONE);
  }

  /** A site with no static files, nginx's body size limit and timeouts. */
  public NginxSite(String app, InetSocketAddress ingress, List<String> domains, Path accessLog, int port,
      SiteTls tls) {
    this(app, ingress, domains, accessLog, port, SiteOptions.NONE, tls);
  }

  /** The {@code log_format} the sites log with, defined once per nginx. */
  public static final String LOG_FORMAT =
      "log_format drover '$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "
          + "\"$http_referer\" \"$http_user_agent\" rt=$request_time urt=$upstream_response_time';\n";

  /**
   * {@code $drover_connection_upgrade}: {@code upgrade} when the client asks to upgrade the
   * connection (a WebSocket), else {@code close}, as the {@code Connection} header to the app.
   */
  public static final String UPGRADE_MAP =
      "map $http_upgrade $drover_connection_upgrade {\n  default upgrade;\n  '' close;\n}\n";

  /**
   * Room for the two variables each app behind trusted proxies defines ({@link SiteHttps}), so that
   * many such apps do not make nginx warn. Set in the sandbox's own nginx.conf only: on a host, the
   * main nginx.conf may set it already (a second one is an error), and the warning is harmless.
   */
  public static final String VARIABLES_HASH = "variables_hash_max_size 4096;\n";

  /** What the sites need in nginx's {@code http} context, defined once per nginx: {@link #LOG_FORMAT} and {@link #UPGRADE_MAP}. */
  public static final String HTTP_CONTEXT = LOG_FORMAT + UPGRADE_MAP;

  /**
   * System mode: the file in the site dir that defines {@link #LOG_FORMAT}; its name sorts before
   * every {@code drover-<app>.conf}, since nginx includes a glob's files in name order.
   */
  public static final String LOG_FORMAT_FILE = "00-drover-log-format.conf";

  private static final Pattern LISTEN_HOST = Pattern.compile("[A-Za-z0-9.:-]+");

  public NginxSite {
    if (!SpecRules.isValidName(app)) {
      throw new IllegalArgumentException("app name " + app + " is not usable in an nginx config");
    }
    domains = List.copyOf(domains);
    if (domains.isEmpty()) {
      throw new IllegalArgumentException("nginx.domains: app " + app + " needs at least one domain");
    }
    for (String d : domains) {
      if (!SpecRules.isValidDomain(d)) {
        throw new IllegalArgumentException("nginx.domains: '" + d + "' of app " + app + " is not a host name");
      }
    }
    if (!LISTEN_HOST.matcher(ingress.getHostString()).matches() || ingress.getPort() < 1) {
      throw new IllegalArgumentException("ingress " + ingress + " is not usable as nginx's listen address");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1 to 65535, got " + port);
    }
    quoted(accessLog.toString());
    options = options == null ? SiteOptions.NONE : options;
    for (String prefix : options.statics().keySet()) {
      quoted(options.aliasOf(prefix));
    }
    tls = tls == null ? SiteTls.NONE : tls;
    if (tls.serving() && !LISTEN_HOST.matcher(tls.listen().getHostString()).matches()) {
      throw new IllegalArgumentException("ingress-tls " + tls.listen() + " is not usable as nginx's listen address");
    }
  }

  /** The site file's name: {@code drover-<app>.conf}. */
  public static String fileName(String app) {
    return "drover-" + app + ".conf";
  }

  /** {@code host:port} as nginx's {@code listen} takes it (IPv6 in brackets). */
  public static String listenAddress(InetSocketAddress address) {
    String host = address.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  public String render() {
    if (tls.equals(SiteTls.NONE)) {
      return "# written by the drover agent for app " + app + "\n"
          + "server {\n"
          + "  listen " + listenAddress(ingress) + ";\n"
          + "  server_name " + String.join(" ", domains) + ";\n"
          + "  access_log " + quoted(accessLog.toString()) + " drover;\n"
          + served("$scheme")
          + "}\n";
    }
    return "# written by the drover agent for app " + app + "\n"
        + SiteHttps.trustedProxies(this)
        + "server {\n"
        + "  listen " + listenAddress(ingress) + ";\n"
        + "  server_name " + String.join(" ", domains) + ";\n"
        + "  access_log " + quoted(accessLog.toString()) + " drover;\n"
        + SiteHttps.realIp(tls)
        + SiteHttps.challenges(tls)
        + (tls.serving() ? SiteHttps.redirect(this) : served(SiteHttps.scheme(this)))
        + "}\n"
        + (tls.serving() ? SiteHttps.httpsServer(this) : "");
  }

  /** What the site serves: the body size limit, its static prefixes, and the proxy to the instance. */
  String served(String scheme) {
    return (options.clientMaxBodySize().isEmpty() ? "" : "  client_max_body_size " + options.clientMaxBodySize() + ";\n")
        + statics()
        + proxy(scheme);
  }

  /** The {@code location /} that proxies to the instance, telling it the scheme {@code scheme} holds. */
  String proxy(String scheme) {
    return "  location / {\n"
        + "    proxy_pass http://127.0.0.1:" + port + ";\n"
        + "    proxy_http_version 1.1;\n"
        + "    proxy_set_header Upgrade $http_upgrade;\n"
        + "    proxy_set_header Connection $drover_connection_upgrade;\n"
        + "    proxy_set_header Host $host;\n"
        + "    proxy_set_header X-Real-IP $remote_addr;\n"
        + "    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
        + "    proxy_set_header X-Forwarded-Proto " + scheme + ";\n"
        + timeouts()
        + "  }\n";
  }

  private String statics() {
    StringBuilder b = new StringBuilder();
    for (String prefix : options.statics().keySet()) {
      b.append("  location ^~ ").append(prefix).append(" {\n")
          .append("    alias ").append(quoted(options.aliasOf(prefix))).append(";\n")
          .append("    expires ").append(SiteOptions.STATIC_EXPIRES).append(";\n")
          .append("  }\n");
    }
    return b.toString();
  }

  private String timeouts() {
    if (options.proxyTimeout() == null) {
      return "";
    }
    long seconds = options.proxyTimeout().toSeconds();
    return "    proxy_read_timeout " + seconds + "s;\n" + "    proxy_send_timeout " + seconds + "s;\n";
  }

  static String quoted(String path) {
    boolean control = path.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE);
    if (control || path.contains("\"") || path.contains("\\") || path.contains("$")) {
      throw new IllegalArgumentException("path not usable in an nginx config (quotes, \\, $ or control characters): "
          + path.replaceAll("\\p{Cntrl}", "?"));
    }
    return "\"" + path + "\"";
  }
}
