package io.drover.server.store;

import static io.drover.server.store.db.Tables.BUNDLE;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * App bundles, content-addressed by sha256. The database holds them; each server keeps a file copy
 * under its data directory so downloads stream from disk in chunks instead of holding a bundle in
 * memory per agent.
 */
public final class BundleStore {
  /** The largest bundle the server accepts. */
  public static final long MAX_SIZE = 64L * 1024 * 1024;
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final Database db;
  private final Path cacheDir;
  private final Clock clock;

  BundleStore(Database db, Path cacheDir, Clock clock) {
    this.db = db;
    this.cacheDir = cacheDir;
    this.clock = clock;
  }

  /** True for a lower-case hex sha256. */
  public static boolean validSha256(String sha256) {
    return SHA256.matcher(sha256).matches();
  }

  public boolean exists(String sha256) {
    return db.dsl().fetchExists(BUNDLE, BUNDLE.SHA256.eq(sha256));
  }

  /** Stores a bundle whose sha256 the caller verified; storing an existing bundle again is a no-op. */
  public void put(String sha256, byte[] data) {
    db.dsl().insertInto(BUNDLE)
        .set(BUNDLE.SHA256, sha256)
        .set(BUNDLE.SIZE, (long) data.length)
        .set(BUNDLE.DATA, data)
        .set(BUNDLE.CREATED_AT, OffsetDateTime.now(clock))
        .onConflictDoNothing()
        .execute();
  }

  /** A local file holding the bundle, fetched from the database on first use; empty when unknown. */
  public Optional<Path> file(String sha256) {
    if (!validSha256(sha256)) {
      return Optional.empty();
    }
    Path file = cacheDir.resolve(sha256);
    if (Files.isRegularFile(file)) {
      return Optional.of(file);
    }
    byte[] data = db.dsl().select(BUNDLE.DATA).from(BUNDLE).where(BUNDLE.SHA256.eq(sha256)).fetchOne(BUNDLE.DATA);
    if (data == null) {
      return Optional.empty();
    }
    try {
      Files.createDirectories(cacheDir);
      Path tmp = Files.createTempFile(cacheDir, sha256, ".part");
      Files.write(tmp, data);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot cache bundle " + sha256 + " in " + cacheDir, e);
    }
    return Optional.of(file);
  }
}
