package io.drover.server.security;

import io.drover.server.store.CertificateStore;
import io.drover.server.store.TokenStore;
import io.drover.tls.Fingerprints;
import io.drover.tls.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a server needs before it serves: its data directory (0700), the CA (created on the first
 * start of the first server; every other server on the same database must be given a copy of
 * {@code ca.key} and {@code ca.crt}), and on a fresh database an initial admin token in {@code
 * admin.token} (0600).
 */
public final class ServerCredentials {
  private static final Logger log = LoggerFactory.getLogger(ServerCredentials.class);
  public static final String ADMIN_TOKEN_FILE = "admin.token";

  private ServerCredentials() {}

  /** Loads or creates the CA in {@code dataDir}, checks it against the database, makes the first admin token. */
  public static CertificateAuthority prepare(Path dataDir, CertificateStore certificates, TokenStore tokens,
      Clock clock) {
    createPrivateDir(dataDir);
    CertificateAuthority ca;
    if (CertificateAuthority.existsIn(dataDir)) {
      ca = CertificateAuthority.load(dataDir, clock);
    } else {
      Optional<String> theirs = certificates.caFingerprint();
      if (theirs.isPresent()) {
        throw new IllegalStateException("the database belongs to the Drover CA " + Fingerprints.display(theirs.get())
            + " but " + dataDir + " holds no CA: copy ca.key and ca.crt from the data directory of the server that "
            + "created it into " + dataDir + " (mode 0600)");
      }
      ca = CertificateAuthority.create(dataDir, clock);
      log.info("event=ca_created certificate={}", dataDir.resolve(CertificateAuthority.CERTIFICATE_FILE));
    }
    String recorded = certificates.recordCa(ca.fingerprint(), Pem.certificate(ca.certificate()));
    if (!recorded.equals(ca.fingerprint())) {
      throw new IllegalStateException("the CA in " + dataDir + " (" + Fingerprints.display(ca.fingerprint())
          + ") is not the database's CA (" + Fingerprints.display(recorded) + "): all servers on one database "
          + "must share ca.key and ca.crt");
    }
    tokens.createInitialAdmin().ifPresent(created -> {
      Path file = dataDir.resolve(ADMIN_TOKEN_FILE);
      PrivateFile.write(file, created.secret() + "\n", true);
      log.info("event=admin_token_created file={} token_id={}", file, created.token().id());
    });
    log.info("event=ca ca_certificate={} ca_fingerprint={}", dataDir.resolve(CertificateAuthority.CERTIFICATE_FILE),
        Fingerprints.display(ca.fingerprint()));
    return ca;
  }

  private static void createPrivateDir(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + dir + ": " + e.getMessage(), e);
    }
  }
}
