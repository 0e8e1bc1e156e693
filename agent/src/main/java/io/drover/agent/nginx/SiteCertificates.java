package io.drover.agent.nginx;

import io.drover.agent.host.AtomicFile;
import io.drover.agent.host.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * The certificate files nginx serves the apps' domains with: {@code <dir>/<app>/<digest>.chain.pem}
 * and {@code <digest>.key.pem}, written atomically, the directories 0700 and the files 0600, owned by
 * the agent's user (root on a host; nginx's master process reads them as root before it drops its
 * workers' privileges). Named by a digest of their contents, so a new certificate never changes the
 * files the running configuration names; {@link #keepOnly} deletes the others once nginx moved on.
 */
public final class SiteCertificates {
  private final Path dir;

  public SiteCertificates(Path dir) {
    this.dir = dir;
  }

  /** Where an app's certificate and key are, as nginx's {@code ssl_certificate} and {@code ssl_certificate_key} name them. */
  public record Written(Path chain, Path key) {}

  /** Writes the chain and key of {@code app} (unless already there) and returns their paths. */
  public Written write(String app, String chain, String key) {
    Path appDir = Directories.createPrivate(Directories.createPrivate(dir).resolve(app));
    String digest = digest(chain + "\n" + key);
    Written files = new Written(appDir.resolve(digest + ".chain.pem"), appDir.resolve(digest + ".key.pem"));
    if (!Files.exists(files.key()) || !Files.exists(files.chain())) {
      AtomicFile.write(files.key(), key.getBytes(StandardCharsets.UTF_8), PosixFilePermissions.fromString("rw-------"), null);
      AtomicFile.write(files.chain(), chain.getBytes(StandardCharsets.UTF_8), PosixFilePermissions.fromString("rw-------"),
          null);
    }
    return files;
  }

  /** Deletes the app's certificate files other than {@code current} (null: all of them). */
  public void keepOnly(String app, Written current) {
    Path appDir = dir.resolve(app);
    if (!Files.isDirectory(appDir)) {
      return;
    }
    try (Stream<Path> files = Files.list(appDir)) {
      for (Path f : files.toList()) {
        if (current == null || (!f.equals(current.chain()) && !f.equals(current.key()))) {
          Files.deleteIfExists(f);
        }
      }
      if (current == null) {
        Files.deleteIfExists(appDir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean the certificates of app " + app + " in " + appDir, e);
    }
  }

  private static String digest(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256", e);
    }
  }
}
