package io.drover.server.store;

import static io.drover.server.store.db.Tables.AUDIT_LOG;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;

/** The audit log: appended to, read back newest first; never changed (the table refuses it too). */
public final class AuditStore {
  private final Database db;
  private final Clock clock;

  /** One recorded call. */
  public record Entry(long id, OffsetDateTime at, String actor, String method, String target, String outcome,
      String peer, long revision) {}

  AuditStore(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  public void append(String actor, String method, String target, String outcome, String peer, long revision) {
    db.dsl().insertInto(AUDIT_LOG)
        .set(AUDIT_LOG.AT, OffsetDateTime.now(clock))
        .set(AUDIT_LOG.ACTOR, clip(actor, 300))
        .set(AUDIT_LOG.METHOD, clip(method, 200))
        .set(AUDIT_LOG.TARGET, clip(target, 500))
        .set(AUDIT_LOG.OUTCOME, clip(outcome, 64))
        .set(AUDIT_LOG.PEER, clip(peer, 200))
        .set(AUDIT_LOG.REVISION, revision)
        .execute();
  }

  /** The newest {@code limit} entries, newest first. */
  public List<Entry> recent(int limit) {
    return db.dsl().selectFrom(AUDIT_LOG).orderBy(AUDIT_LOG.ID.desc()).limit(limit)
        .fetch(r -> new Entry(r.getId(), r.getAt(), r.getActor(), r.getMethod(), r.getTarget(), r.getOutcome(),
            r.getPeer(), r.getRevision()));
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
