package io.drover.agent.nginx;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** The server block of one app: its domains on the ingress, proxied to the instance's loopback port. */
public record NginxSite(String app, InetSocketAddress ingress, List<String> domains, Path accessLog, int port) {

  /** The {@code log_format} the sites log with, defined once per nginx. */
  public static final String LOG_FORMAT =
      "log_format drover '$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "
          + "\"$http_referer\" \"$http_user_agent\" rt=$request_time urt=$upstream_response_time';\n";

  /**
   * System mode: the file in the site dir that defines {@link #LOG_FORMAT}; its name sorts before
   * every {@code drover-<app>.conf}, since nginx includes a glob's files in name order.
   */
  public static final String LOG_FORMAT_FILE = "00-drover-log-format.conf";

  private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9*._-]+");

  public NginxSite {
    domains = List.copyOf(domains);
    if (domains.isEmpty()) {
      throw new IllegalArgumentException("nginx.domains: app " + app + " needs at least one domain");
    }
    for (String d : domains) {
      if (!DOMAIN.matcher(d).matches()) {
        throw new IllegalArgumentException("nginx.domains: '" + d + "' of app " + app + " is not a host name");
      }
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
    return "# written by the drover agent for app " + app + "\n"
        + "server {\n"
        + "  listen " + listenAddress(ingress) + ";\n"
        + "  server_name " + String.join(" ", domains) + ";\n"
        + "  access_log " + quoted(accessLog.toString()) + " drover;\n"
        + "  location / {\n"
        + "    proxy_pass http://127.0.0.1:" + port + ";\n"
        + "    proxy_set_header Host $host;\n"
        + "    proxy_set_header X-Real-IP $remote_addr;\n"
        + "    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
        + "    proxy_set_header X-Forwarded-Proto $scheme;\n"
        + "  }\n"
        + "}\n";
  }

  static String quoted(String path) {
    if (path.contains("\"") || path.contains("\n") || path.contains("$")) {
      throw new IllegalArgumentException("path not usable in an nginx config: " + path);
    }
    return "\"" + path.replace("\\", "\\\\") + "\"";
  }
}
