package io.drover.agent.nginx;

import io.drover.spec.SpecRules;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * How an app's site meets HTTPS and the proxies in front of it: where nginx listens for TLS, the
 * certificate and key files (null until the app has a certificate: then it is served over HTTP),
 * whether to send Strict-Transport-Security, the proxies whose {@code X-Forwarded-For} and {@code
 * X-Forwarded-Proto} are trusted, and the directory of ACME HTTP-01 challenge files port 80 answers
 * from (null: the app does not use ACME).
 */
public record SiteTls(InetSocketAddress listen, Path certificate, Path key, boolean hsts, List<String> behindProxy,
    Path challenges) {

  /** No HTTPS, no trusted proxy: the site as it was before TLS. */
  public static final SiteTls NONE = new SiteTls(null, null, null, false, List.of(), null);

  public SiteTls {
    behindProxy = List.copyOf(behindProxy);
    for (String range : behindProxy) {
      if (!SpecRules.isAddressRange(range)) {
        throw new IllegalArgumentException("nginx.behind_proxy: '" + range + "' is not an address or CIDR range");
      }
    }
    if ((certificate == null) != (key == null)) {
      throw new IllegalArgumentException("a certificate needs its key and a key its certificate");
    }
    if (certificate != null) {
      if (listen == null) {
        throw new IllegalArgumentException("a certificate needs the address nginx listens on for TLS");
      }
      NginxSite.quoted(certificate.toString());
      NginxSite.quoted(key.toString());
    }
    if (challenges != null) {
      NginxSite.quoted(challenges.toString() + "/");
    }
  }

  /** Whether nginx serves the site over HTTPS (and port 80 redirects there). */
  public boolean serving() {
    return certificate != null;
  }
}
