package io.drover.agent;

import io.drover.server.security.CertificateAuthority;
import io.drover.server.security.ServerTls;
import io.drover.tls.Keys;
import io.drover.tls.Pem;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** A CA for tests of the agent against a fake server: the server's TLS and an enrolled agent's files. */
final class TestPki {
  private final CertificateAuthority ca;

  TestPki(Path dir) {
    this.ca = CertificateAuthority.create(dir, Clock.systemUTC());
  }

  /** The fake server's TLS, as a real server's. */
  SslContext serverContext() {
    return ServerTls.context(ca, List.of());
  }

  /** Writes the identity an agent of {@code host} keeps after enrolling, into {@code dataDir}. */
  void enroll(Path dataDir, String host) throws IOException {
    KeyPair key = Keys.newKeyPair();
    Files.createDirectories(dataDir);
    Files.writeString(dataDir.resolve("ca.crt"), Pem.certificate(ca.certificate()));
    Files.writeString(dataDir.resolve("identity.pem"),
        Pem.privateKey(key.getPrivate()) + Pem.certificate(ca.issueAgent(key.getPublic(), host, Duration.ofHours(1))));
  }
}
