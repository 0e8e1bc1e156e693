package io.drover.server.store;

import static io.drover.server.store.db.Tables.BUNDLE;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jooq.DSLContext;

/**
 * Deletes the bundles no app refers to any more. A bundle is kept while any app refers to it through
 * one of its last {@code keepRevisions} revisions, its current revision, or a revision a host is
 * assigned or still runs (as its agent last reported); a bundle stored less than {@link
 * #UPLOAD_GRACE} ago is kept too, since {@code drover apply} uploads the bundle before it stores the
 * revision that refers to it. What is deleted goes from the database and from this server's file
 * copies; a rollback to a revision whose bundle is gone is refused, naming the revision.
 */
public final class BundlePruner {
  /** How many of each app's latest revisions keep their bundles, when not configured. */
  public static final int DEFAULT_KEEP_REVISIONS = 10;
  /** How long a new bundle is kept though no revision refers to it yet. */
  public static final Duration UPLOAD_GRACE = Duration.ofHours(1);

  private static final String REFERRED = """
      SELECT spec FROM (
        SELECT spec, row_number() OVER (PARTITION BY app ORDER BY revision DESC) AS n FROM revision) latest
      WHERE n <= ?
      UNION
      SELECT r.spec FROM revision r JOIN app p ON p.name = r.app AND r.revision = p.current_revision
      UNION
      SELECT r.spec FROM revision r JOIN assignment a ON a.app = r.app
        AND (r.revision = a.revision OR r.revision = a.reported_revision)
      """;

  private final Database db;
  private final Path cacheDir;
  private final Clock clock;
  private final int keepRevisions;

  public BundlePruner(Database db, Path cacheDir, Clock clock, int keepRevisions) {
    if (keepRevisions < 1) {
      throw new IllegalArgumentException("revisions to keep bundles of must be at least 1, got " + keepRevisions);
    }
    this.db = db;
    this.cacheDir = cacheDir;
    this.clock = clock;
    this.keepRevisions = keepRevisions;
  }

  /** The digests of the bundles some app still refers to. */
  Set<String> referred(DSLContext dsl) {
    Set<String> digests = new TreeSet<>();
    for (String spec : dsl.resultQuery(REFERRED, keepRevisions).fetch(0, String.class)) {
      digests.add(SpecCodec.fromJson(spec).getBundleSha256());
    }
    return digests;
  }

  /** Deletes every bundle no app refers to and older than {@link #UPLOAD_GRACE}; returns their digests. */
  public List<String> prune() {
    List<String> deleted = db.dsl().transactionResult(tx -> {
      DSLContext dsl = tx.dsl();
      Set<String> keep = referred(dsl);
      return dsl.deleteFrom(BUNDLE)
          .where(BUNDLE.CREATED_AT.lt(OffsetDateTime.now(clock).minus(UPLOAD_GRACE)))
          .and(keep.isEmpty() ? org.jooq.impl.DSL.trueCondition() : BUNDLE.SHA256.notIn(keep))
          .returning(BUNDLE.SHA256)
          .fetch(BUNDLE.SHA256);
    });
    for (String sha256 : deleted) {
      try {
        Files.deleteIfExists(cacheDir.resolve(sha256));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete the copy of bundle " + sha256 + " in " + cacheDir, e);
      }
    }
    return deleted;
  }
}
