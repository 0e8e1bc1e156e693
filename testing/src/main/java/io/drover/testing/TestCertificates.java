package io.drover.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Self-signed certificates made by the real {@code openssl}, for tests of provided certificates and TLS. */
public final class TestCertificates {
  private TestCertificates() {}

  /** A PEM certificate and its PEM (PKCS#8) key, and the files they were written to. */
  public record Issued(String certificate, String key, Path certificateFile, Path keyFile) {}

  /** A self-signed EC P-256 certificate for {@code names} (its subject alternative names), valid for a day, in {@code dir}. */
  public static Issued selfSigned(Path dir, String fileName, List<String> names) {
    return selfSigned(dir, fileName, names, "ec", "ec_paramgen_curve:P-256");
  }

  /** As {@link #selfSigned(Path, String, List)} with an RSA 2048 key. */
  public static Issued selfSignedRsa(Path dir, String fileName, List<String> names) {
    return selfSigned(dir, fileName, names, "rsa", "rsa_keygen_bits:2048");
  }

  private static Issued selfSigned(Path dir, String fileName, List<String> names, String algorithm, String option) {
    Path crt = dir.resolve(fileName + ".crt");
    Path key = dir.resolve(fileName + ".key");
    String san = names.stream().map(n -> "DNS:" + n).collect(Collectors.joining(","));
    List<String> command = new ArrayList<>(List.of("openssl", "req", "-x509", "-newkey", algorithm, "-pkeyopt", option,
        "-nodes", "-days", "1", "-subj", "/CN=" + names.get(0), "-addext", "subjectAltName=" + san,
        "-keyout", key.toString(), "-out", crt.toString()));
    try {
      Files.createDirectories(dir);
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("openssl failed: " + output);
      }
      return new Issued(Files.readString(crt), Files.readString(key), crt, key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
