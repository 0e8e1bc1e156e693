package io.drover.agent.nginx;

import io.drover.agent.host.AtomicFile;
import io.drover.agent.host.HostCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nginx the agent drives: server blocks in {@code siteDir}, checked with the nginx command plus
 * {@code -t} and applied with {@code -s reload}, which returns once the old workers stopped accepting.
 * A site that fails the check is rolled back.
 */
public final class Nginx {
  private static final Logger log = LoggerFactory.getLogger(Nginx.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Duration SWITCH_TIMEOUT = Duration.ofSeconds(5);

  private final Path siteDir;
  private final List<String> nginx;
  private final NginxWorkers workers;

  public Nginx(Path siteDir, List<String> nginx) {
    this.siteDir = siteDir;
    this.nginx = List.copyOf(nginx);
    this.workers = NginxWorkers.of(this.nginx);
  }

  /** nginx refused a configuration; the message is nginx's. */
  public static final class NginxConfigException extends RuntimeException {
    public NginxConfigException(String message) {
      super(message);
    }
  }

  public Path siteFile(String app) {
    return siteDir.resolve(NginxSite.fileName(app));
  }

  /** Installs a file into the site directory as is (e.g. the shared log format), without reloading. */
  public void writeInclude(String fileName, String content) {
    AtomicFile.write(siteDir.resolve(fileName), content);
  }

  /**
   * Writes the site, checks the whole configuration and reloads. When the check fails, or the reload,
   * the previous file is put back (and, after a failed reload, nginx asked once more to load it), so
   * what nginx serves stays as it was. A site served over HTTPS also gets the TLS port's default
   * server (unknown names refused), which stays once written.
   */
  public void apply(NginxSite site) {
    Path file = siteFile(site.app());
    Optional<byte[]> previous = read(file);
    if (site.tls().serving()) {
      writeInclude(SiteHttps.DEFAULT_SERVER_FILE, SiteHttps.defaultServer(site.tls().listen()));
    }
    AtomicFile.write(file, site.render());
    HostCommand.Result test = HostCommand.run(HostCommand.of(nginx, "-t"), TIMEOUT);
    if (!test.ok()) {
      restore(file, previous);
      throw new NginxConfigException("nginx -t refused the site of app " + site.app() + ": "
          + String.join(" | ", test.tail(5)));
    }
    try {
      reload();
    } catch (RuntimeException e) {
      restore(file, previous);
      try {
        reload();
      } catch (RuntimeException again) {
        e.addSuppressed(again);
      }
      throw e;
    }
    log.debug("event=nginx_site_applied app={} port={}", site.app(), site.port());
  }

  private static void restore(Path file, Optional<byte[]> previous) {
    if (previous.isPresent()) {
      AtomicFile.write(file, previous.get());
    } else {
      delete(file);
    }
  }

  /** Deletes the app's site and reloads; nothing happens when there is none. */
  public void remove(String app) {
    Path file = siteFile(app);
    if (!Files.exists(file)) {
      return;
    }
    Optional<byte[]> previous = read(file);
    delete(file);
    HostCommand.Result test = HostCommand.run(HostCommand.of(nginx, "-t"), TIMEOUT);
    if (!test.ok()) {
      AtomicFile.write(file, previous.orElseThrow());
      throw new NginxConfigException("nginx -t failed without the site of app " + app + ": "
          + String.join(" | ", test.tail(5)));
    }
    reload();
  }

  /** Checks the configuration as nginx would load it. */
  public HostCommand.Result test() {
    return HostCommand.run(HostCommand.of(nginx, "-t"), TIMEOUT);
  }

  /** Reloads and waits until the old workers stopped accepting, so every new request sees the new config. */
  private void reload() {
    List<Long> old = workers.current();
    HostCommand.run(HostCommand.of(nginx, "-s", "reload"), TIMEOUT).orThrow();
    if (!workers.awaitRetired(old, SWITCH_TIMEOUT)) {
      log.warn("event=nginx_reload_slow workers={} waited_ms={}", old, SWITCH_TIMEOUT.toMillis());
    }
  }

  private static Optional<byte[]> read(Path file) {
    try {
      return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file, e);
    }
  }
}
