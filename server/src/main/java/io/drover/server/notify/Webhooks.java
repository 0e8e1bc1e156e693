package io.drover.server.notify;

import io.drover.server.secrets.SealedSecret;
import io.drover.server.secrets.SecretBox;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * A webhook's URL: checked when added, sealed for storage (it may carry a secret, e.g. a chat
 * token in its path), shown masked, and the backoff between failed deliveries.
 */
public final class Webhooks {
  private static final String SEAL_APP = "drover";
  private static final String SEAL_NAME = "notify.webhook";
  /** After this many failed attempts a delivery is given up. */
  static final int MAX_ATTEMPTS = 10;
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private Webhooks() {}

  /** The URL, or IllegalArgumentException naming what is wrong with it. */
  public static URI check(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--webhook: '" + mask(url) + "' is not a URL: " + e.getReason());
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("--webhook: give an http:// or https:// URL with a host, e.g. "
          + "https://hooks.example.com/T000/B000/XXXX");
    }
    return uri;
  }

  /** {@code scheme://host[:port]/…}: the URL without what may be a secret (user, path, query). */
  public static String mask(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getHost() != null) {
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        boolean more = uri.getRawPath() != null && uri.getRawPath().length() > 1 || uri.getRawQuery() != null;
        return uri.getScheme() + "://" + uri.getHost() + port + (more ? "/…" : "/");
      }
    } catch (URISyntaxException e) {
      // shown as below
    }
    return "(a URL)";
  }

  public static String seal(SecretBox box, String url) {
    return box.seal(SEAL_APP, SEAL_NAME, url).text();
  }

  static String open(SecretBox box, String sealed) {
    return box.open(SEAL_APP, SEAL_NAME, SealedSecret.parse(sealed));
  }

  /** How long after failed attempt number {@code attempts} (1, 2, …) to try again; null: give up. */
  static Duration backoff(int attempts, Duration base) {
    if (attempts >= MAX_ATTEMPTS) {
      return null;
    }
    Duration next = base.multipliedBy(1L << Math.min(20, attempts - 1));
    return next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next;
  }
}
