package io.drover.agent.nginx;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a spec asks of an app's server block beyond its domains: URL prefixes nginx serves straight
 * from directories of the release ({@code nginx.static}), the largest request body ({@code
 * nginx.client_max_body_size}) and how long nginx waits on the app ({@code gunicorn.timeout} and a
 * margin, so that Gunicorn's own timeout acts first).
 *
 * @param release the release directory the static directories are in; null when there are none
 * @param statics URL prefix ({@code /static/}) to a directory relative to the release ({@code static/})
 * @param clientMaxBodySize e.g. {@code 20m}; empty: nginx's default
 * @param proxyTimeout nginx's proxy read and send timeouts; null: nginx's defaults
 */
public record SiteOptions(Path release, Map<String, String> statics, String clientMaxBodySize, Duration proxyTimeout) {
  /** How much longer than {@code gunicorn.timeout} nginx waits on the app. */
  public static final Duration PROXY_MARGIN = Duration.ofSeconds(5);
  /** How long browsers may keep a static file ({@code expires}, which also sets {@code Cache-Control: max-age}). */
  public static final String STATIC_EXPIRES = "1h";
  /** No static files, nginx's body size and timeouts. */
  public static final SiteOptions NONE = new SiteOptions(null, Map.of(), "", null);

  private static final Pattern URL_PREFIX = Pattern.compile("/([A-Za-z0-9._~-]+/)+");
  private static final Pattern RELATIVE_DIR = Pattern.compile("[A-Za-z0-9_~-][A-Za-z0-9._~-]*(/[A-Za-z0-9._~-]+)*/?");
  private static final Pattern BODY_SIZE = Pattern.compile("[0-9]{1,6}[kKmMgG]?");

  public SiteOptions {
    statics = new TreeMap<>(statics);
    clientMaxBodySize = clientMaxBodySize == null ? "" : clientMaxBodySize;
    if (!statics.isEmpty() && release == null) {
      throw new IllegalArgumentException("nginx.static needs the release directory");
    }
    for (Map.Entry<String, String> e : statics.entrySet()) {
      boolean dots = (e.getKey() + "/" + e.getValue()).contains("/./") || (e.getKey() + "/" + e.getValue() + "/").contains("/../")
          || (e.getKey() + "/" + e.getValue() + "/").contains("/./");
      if (!URL_PREFIX.matcher(e.getKey()).matches() || !RELATIVE_DIR.matcher(e.getValue()).matches() || dots) {
        throw new IllegalArgumentException("nginx.static: " + e.getKey() + " -> " + e.getValue() + " is not usable in an nginx config");
      }
    }
    if (!clientMaxBodySize.isEmpty() && !BODY_SIZE.matcher(clientMaxBodySize).matches()) {
      throw new IllegalArgumentException("nginx.client_max_body_size: " + clientMaxBodySize + " is not a size");
    }
    if (proxyTimeout != null && proxyTimeout.toSeconds() < 1) {
      throw new IllegalArgumentException("proxy timeout must be at least 1s, got " + proxyTimeout);
    }
  }

  /** The directory a static prefix is served from, ending in {@code /} as nginx's {@code alias} of a prefix wants. */
  String aliasOf(String prefix) {
    String dir = statics.get(prefix);
    return release.resolve(dir).toString() + "/";
  }
}
