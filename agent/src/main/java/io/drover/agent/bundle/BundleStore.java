package io.drover.agent.bundle;

import io.drover.agent.host.Directories;
import io.drover.api.v1.AgentServiceGrpc;
import io.drover.api.v1.BundleChunk;
import io.drover.api.v1.DownloadBundleRequest;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The agent's cache of app bundles under {@code dataDir/bundles}, one {@code <sha256>.tar.gz} each,
 * filled from the server's {@code DownloadBundle} and verified against the sha256 before it is kept.
 */
public final class BundleStore {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final Path dir;
  private final Channel channel;

  public BundleStore(Path dataDir, Channel channel) {
    this.dir = dataDir.resolve("bundles");
    this.channel = channel;
  }

  /** A bundle that could not be fetched or did not match its sha256. */
  public static final class BundleException extends RuntimeException {
    public BundleException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Where the bundles are kept. */
  public Path dir() {
    return dir;
  }

  /** The local file of the bundle, downloading it first unless cached. */
  public Path fetch(String sha256) {
    if (!SHA256.matcher(sha256).matches()) {
      throw new BundleException("bundle_sha256 is not a lowercase sha256: '" + sha256 + "'", null);
    }
    Path target = dir.resolve(sha256 + ".tar.gz");
    if (Files.isRegularFile(target)) {
      return target;
    }
    Directories.create(dir);
    Path temp = null;
    try {
      temp = Files.createTempFile(dir, "." + sha256, ".part");
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      Iterator<BundleChunk> chunks = AgentServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.MINUTES)
          .downloadBundle(DownloadBundleRequest.newBuilder().setSha256(sha256).build());
      try (FileChannel fc = FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE);
          OutputStream out = java.nio.channels.Channels.newOutputStream(fc)) {
        while (chunks.hasNext()) {
          byte[] data = chunks.next().getData().toByteArray();
          digest.update(data);
          out.write(data);
        }
        out.flush();
        fc.force(true);
      }
      String actual = HexFormat.of().formatHex(digest.digest());
      if (!actual.equals(sha256)) {
        throw new BundleException("bundle " + sha256 + " downloaded with sha256 " + actual, null);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temp = null;
      return target;
    } catch (StatusRuntimeException e) {
      throw new BundleException("cannot download bundle " + sha256 + ": " + e.getStatus(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store bundle " + sha256 + " in " + dir + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JVM", e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot delete partial bundle " + temp, e);
        }
      }
    }
  }
}
