package io.drover.agent.nginx;

import java.net.InetSocketAddress;

/**
 * The HTTPS parts of an app's site ({@link NginxSite} with a {@link SiteTls}): the HTTPS server with
 * Mozilla's "intermediate" settings (TLS 1.2 and 1.3, forward-secret AEAD ciphers, a shared session
 * cache, no session tickets), HSTS, the port 80 answers (ACME challenges from their directory,
 * everything else redirected with 301 once a certificate exists), and the proxies trusted for the
 * client's address and scheme ({@code set_real_ip_from}; a {@code geo} on the connecting address
 * decides whether {@code X-Forwarded-Proto} is taken from the request or is nginx's own {@code
 * $scheme}). Every value rendered here was checked by {@link NginxSite} and {@link SiteTls}.
 */
final class SiteHttps {
  /** The default site file of the TLS port; its name sorts before every {@code drover-<app>.conf}. */
  static final String DEFAULT_SERVER_FILE = "00-drover-tls-default.conf";

  private static final String CIPHERS = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
      + "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
      + "ECDHE-RSA-CHACHA20-POLY1305";
  /** Two years, as Mozilla's guidelines have it. */
  private static final long HSTS_SECONDS = 63_072_000;

  private SiteHttps() {}

  /** The default server of the TLS port: a name no site has gets its handshake refused. */
  static String defaultServer(InetSocketAddress listen) {
    return "# written by the drover agent: names no app has get no certificate\n"
        + "server {\n"
        + "  listen " + NginxSite.listenAddress(listen) + " ssl http2 default_server;\n"
        + "  ssl_reject_handshake on;\n"
        + "}\n";
  }

  /** The {@code geo} and {@code map} (http level) that give the scheme trusted proxies forward; empty without any. */
  static String trustedProxies(NginxSite site) {
    if (site.tls().behindProxy().isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder("geo $realip_remote_addr " + variable(site, "trusted") + " {\n  default 0;\n");
    site.tls().behindProxy().forEach(range -> b.append("  ").append(range).append(" 1;\n"));
    return b.append("}\n")
        .append("map \"").append(variable(site, "trusted")).append(":$http_x_forwarded_proto\" ")
        .append(variable(site, "proto")).append(" {\n")
        .append("  default $scheme;\n  \"1:https\" https;\n  \"1:http\" http;\n}\n")
        .toString();
  }

  /** The scheme the app is told on port 80: nginx's own, or a trusted proxy's. */
  static String scheme(NginxSite site) {
    return site.tls().behindProxy().isEmpty() ? "$scheme" : variable(site, "proto");
  }

  /** The client's address from {@code X-Forwarded-For}, only when a trusted proxy sent it. */
  static String realIp(SiteTls tls) {
    if (tls.behindProxy().isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    tls.behindProxy().forEach(range -> b.append("  set_real_ip_from ").append(range).append(";\n"));
    return b.append("  real_ip_header X-Forwarded-For;\n  real_ip_recursive on;\n").toString();
  }

  /** Port 80's answer to ACME HTTP-01 challenges, the files of their directory; empty without ACME. */
  static String challenges(SiteTls tls) {
    if (tls.challenges() == null) {
      return "";
    }
    return "  location ^~ /.well-known/acme-challenge/ {\n"
        + "    default_type text/plain;\n"
        + "    alias " + NginxSite.quoted(tls.challenges() + "/") + ";\n"
        + "  }\n";
  }

  /**
   * Port 80 once a certificate exists: a 301 to the same URL over HTTPS; behind trusted proxies a
   * request they forwarded as https is proxied instead (they terminated TLS).
   */
  static String redirect(NginxSite site) {
    int port = site.tls().listen().getPort();
    String to = "return 301 https://$host" + (port == 443 ? "" : ":" + port) + "$request_uri;";
    if (site.tls().behindProxy().isEmpty()) {
      return "  location / {\n    " + to + "\n  }\n";
    }
    String proxy = site.proxy(scheme(site));
    return "  location / {\n"
        + "    if (" + variable(site, "proto") + " = http) {\n      " + to + "\n    }\n"
        + proxy.substring(proxy.indexOf('\n') + 1);
  }

  /** The HTTPS server of the site. */
  static String httpsServer(NginxSite site) {
    SiteTls tls = site.tls();
    return "server {\n"
        + "  listen " + NginxSite.listenAddress(tls.listen()) + " ssl http2;\n"
        + "  server_name " + String.join(" ", site.domains()) + ";\n"
        + "  access_log " + NginxSite.quoted(site.accessLog().toString()) + " drover;\n"
        + "  ssl_certificate " + NginxSite.quoted(tls.certificate().toString()) + ";\n"
        + "  ssl_certificate_key " + NginxSite.quoted(tls.key().toString()) + ";\n"
        + "  ssl_protocols TLSv1.2 TLSv1.3;\n"
        + "  ssl_ciphers " + CIPHERS + ";\n"
        + "  ssl_prefer_server_ciphers off;\n"
        + "  ssl_session_timeout 1d;\n"
        + "  ssl_session_cache shared:drover_tls:10m;\n"
        + "  ssl_session_tickets off;\n"
        + (tls.hsts() ? "  add_header Strict-Transport-Security \"max-age=" + HSTS_SECONDS + "\" always;\n" : "")
        + realIp(tls)
        + site.served("$scheme")
        + "}\n";
  }

  /** An nginx variable of the site's own, e.g. {@code $drover_my_app_proto} (app names have no {@code _}). */
  private static String variable(NginxSite site, String what) {
    return "$drover_" + site.app().replace('-', '_') + "_" + what;
  }
}
