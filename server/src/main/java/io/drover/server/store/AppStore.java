package io.drover.server.store;

import static io.drover.server.store.db.Tables.APP;
import static io.drover.server.store.db.Tables.ASSIGNMENT;
import static io.drover.server.store.db.Tables.REVISION;

import io.drover.api.v1.AppSpec;
import io.drover.server.changes.ChangeNotice;
import io.drover.server.placement.AppRows;
import io.drover.server.placement.AppRows.Row;
import io.drover.server.placement.StatusSummary;
import io.drover.server.plan.PlanSnapshot;
import io.drover.server.rollout.RolloutDecider;
import io.drover.server.rollout.RolloutState;
import io.drover.server.store.db.tables.records.AppRecord;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Apps and their numbered revisions, as operators apply and delete them. */
public final class AppStore {
  private static final Logger log = LoggerFactory.getLogger(AppStore.class);
  /** The longest {@code created_by} stored (the column's width). */
  private static final int MAX_CREATED_BY = 128;

  private final Database db;
  private final FleetReader reader;
  private final PlacementWriter placement;
  private final Clock clock;

  AppStore(Database db, FleetReader reader, PlacementWriter placement, Clock clock) {
    this.db = db;
    this.reader = reader;
    this.placement = placement;
    this.clock = clock;
  }

  /** The outcome of an apply: the app's current revision, and whether the apply created it. */
  public record Applied(String app, long revision, boolean changed) {}

  /** A live app with its current revision's spec. */
  public record StoredApp(String name, long revision, OffsetDateTime updatedAt, AppSpec spec) {}

  /** A live app with its placed (desired), running and healthy instance counts. */
  public record AppCounts(String name, long revision, OffsetDateTime updatedAt, int placed, int running,
      int healthy) {}

  /**
   * One stored revision.
   *
   * @param createdBy who stored it (see {@link #apply(AppSpec, long, String)}); empty when unknown
   * @param current whether it is the app's current revision
   * @param rollbackOf the revision a rollback copied (0: not a rollback)
   */
  public record StoredRevision(long revision, OffsetDateTime createdAt, String createdBy, AppSpec spec,
      boolean current, long rollbackOf) {}

  /** {@link #apply(AppSpec, long, String)} of a spec that copies no revision. */
  public Applied apply(AppSpec spec, String by) {
    return apply(spec, 0, by);
  }

  /**
   * Stores the (already validated) spec as revision N+1 and places the app, unless it equals the
   * current revision of a live app; a new revision's rollout starts from the app's last good
   * revision. One transaction; publishes the hosts whose assignments changed.
   *
   * @param rollbackOf the revision this one copies (0: none)
   * @param by who applies it, kept as the revision's {@code created_by} (clipped to 128 characters)
   */
  public Applied apply(AppSpec spec, long rollbackOf, String by) {
    String name = spec.getName();
    String hash = SpecCodec.hash(spec);
    return db.dsl().transactionResult(c -> {
      DSLContext tx = c.dsl();
      PlacementWriter.lock(tx);
      OffsetDateTime now = OffsetDateTime.now(clock);
      AppRecord app = tx.selectFrom(APP).where(APP.NAME.eq(name)).forUpdate().fetchOne();
      if (app != null && !app.getDeleted() && currentHash(tx, app).equals(hash)) {
        return new Applied(name, app.getCurrentRevision(), false);
      }
      long revision = nextRevision(tx, name);
      long good = app == null || app.getDeleted() ? 0 : app.getGoodRevision();
      if (app == null) {
        tx.insertInto(APP)
            .set(APP.NAME, name)
            .set(APP.CURRENT_REVISION, revision)
            .set(APP.DELETED, false)
            .set(APP.CREATED_AT, now)
            .set(APP.UPDATED_AT, now)
            .execute();
      } else {
        tx.update(APP)
            .set(APP.CURRENT_REVISION, revision)
            .set(APP.DELETED, false)
            .set(APP.UPDATED_AT, now)
            .where(APP.NAME.eq(name))
            .execute();
      }
      tx.insertInto(REVISION)
          .set(REVISION.APP, name)
          .set(REVISION.REVISION_, revision)
          .set(REVISION.SPEC, SpecCodec.toJson(spec))
          .set(REVISION.SPEC_HASH, hash)
          .set(REVISION.CREATED_AT, now)
          .set(REVISION.CREATED_BY, by.length() <= MAX_CREATED_BY ? by : by.substring(0, MAX_CREATED_BY))
          .set(REVISION.ROLLBACK_OF, rollbackOf)
          .execute();
      Set<String> hosts = placement.place(tx, List.of(name));
      RolloutStore.start(tx, RolloutDecider.start(name, revision, good, spec.getUpdate()), now);
      ChangeNotice.of(hosts, Set.of(name)).publish(tx);
      log.info("event=app_applied app={} revision={} by=\"{}\" hosts_changed={}", name, revision, by, hosts.size());
      return new Applied(name, revision, true);
    });
  }

  private static String currentHash(DSLContext tx, AppRecord app) {
    return tx.select(REVISION.SPEC_HASH).from(REVISION)
        .where(REVISION.APP.eq(app.getName()), REVISION.REVISION_.eq(app.getCurrentRevision()))
        .fetchSingle(REVISION.SPEC_HASH);
  }

  private static long nextRevision(DSLContext dsl, String app) {
    return 1 + dsl.select(DSL.coalesce(DSL.max(REVISION.REVISION_), 0L)).from(REVISION)
        .where(REVISION.APP.eq(app)).fetchSingle(0, Long.class);
  }

  /**
   * What an apply of the (already validated) spec would read: the snapshot {@code drover plan}
   * decides on. Reads in one transaction and writes nothing.
   */
  public PlanSnapshot planSnapshot(AppSpec spec) {
    String name = spec.getName();
    return db.dsl().transactionResult(c -> {
      DSLContext tx = c.dsl();
      AppRecord app = tx.selectFrom(APP).where(APP.NAME.eq(name)).fetchOne();
      boolean live = app != null && !app.getDeleted();
      PlanSnapshot.Current current = live
          ? new PlanSnapshot.Current(app.getCurrentRevision(), spec(tx, name, app.getCurrentRevision()).orElseThrow())
          : null;
      boolean changed = !live || !currentHash(tx, app).equals(SpecCodec.hash(spec));
      long next = nextRevision(tx, name);
      List<Row> rows = tx.selectFrom(ASSIGNMENT).where(ASSIGNMENT.APP.eq(name)).orderBy(ASSIGNMENT.HOST)
          .fetch(a -> new Row(a.getHost(), a.getRevision(), a.getDesired(), a.getReportedRevision(), a.getState(),
              a.getHealthy()));
      Map<Long, AppSpec> specs = new HashMap<>();
      for (Row row : rows) {
        for (long revision : new long[] {row.revision(), row.reportedRevision()}) {
          if (revision > 0 && !specs.containsKey(revision)) {
            specs.put(revision, spec(tx, name, revision).orElseThrow(() -> new IllegalStateException(
                "app " + name + " has no revision " + revision + " (host " + row.host() + ")")));
          }
        }
      }
      AppRows applied = new AppRows(name, false, changed ? next : current.revision(), spec, rows);
      return new PlanSnapshot(spec, current, changed, next, live ? app.getGoodRevision() : 0, rows,
          reader.slice(tx, List.of(applied)), specs, clock.instant());
    });
  }

  /**
   * Marks the app deleted and all its assignments undesired; the rows go when the agents report the
   * app removed. Returns false when there is no such live app.
   */
  public boolean delete(String name) {
    return db.dsl().transactionResult(c -> {
      DSLContext tx = c.dsl();
      PlacementWriter.lock(tx);
      OffsetDateTime now = OffsetDateTime.now(clock);
      int marked = tx.update(APP)
          .set(APP.DELETED, true)
          .set(APP.UPDATED_AT, now)
          .where(APP.NAME.eq(name), APP.DELETED.isFalse())
          .execute();
      if (marked == 0) {
        return false;
      }
      RolloutStore.finishRunning(tx, name, RolloutState.CANCELLED, now);
      Set<String> hosts = placement.place(tx, List.of(name));
      ChangeNotice.of(hosts, Set.of(name)).publish(tx);
      log.info("event=app_deleted app={} hosts_changed={}", name, hosts.size());
      return true;
    });
  }

  /** The live app with its current spec; empty when unknown or deleted. */
  public Optional<StoredApp> get(String name) {
    return db.dsl().select(APP.NAME, APP.CURRENT_REVISION, APP.UPDATED_AT, REVISION.SPEC)
        .from(APP)
        .join(REVISION).on(REVISION.APP.eq(APP.NAME), REVISION.REVISION_.eq(APP.CURRENT_REVISION))
        .where(APP.NAME.eq(name), APP.DELETED.isFalse())
        .fetchOptional(r -> new StoredApp(r.value1(), r.value2(), r.value3(), SpecCodec.fromJson(r.value4())));
  }

  /** Every revision of the app, newest first; empty when the app is unknown. */
  public Optional<List<StoredRevision>> revisions(String name) {
    DSLContext dsl = db.dsl();
    Long current = dsl.select(APP.CURRENT_REVISION).from(APP).where(APP.NAME.eq(name)).fetchOne(APP.CURRENT_REVISION);
    if (current == null) {
      return Optional.empty();
    }
    return Optional.of(dsl.selectFrom(REVISION)
        .where(REVISION.APP.eq(name))
        .orderBy(REVISION.REVISION_.desc())
        .fetch(r -> new StoredRevision(r.getRevision(), r.getCreatedAt(), r.getCreatedBy(),
            SpecCodec.fromJson(r.getSpec()), r.getRevision() == current.longValue(), r.getRollbackOf())));
  }

  /** The spec stored as revision {@code revision} of the app. */
  public Optional<AppSpec> spec(String name, long revision) {
    return spec(db.dsl(), name, revision);
  }

  private static Optional<AppSpec> spec(DSLContext dsl, String name, long revision) {
    return dsl.select(REVISION.SPEC).from(REVISION)
        .where(REVISION.APP.eq(name), REVISION.REVISION_.eq(revision))
        .fetchOptional(r -> SpecCodec.fromJson(r.value1()));
  }

  /**
   * One secret value as some revision stores it (sealed), when any revision holds secrets: the
   * server checks at start that its secrets key is the one that sealed them.
   */
  public Optional<String> storedSecret() {
    return db.dsl().select(REVISION.SPEC).from(REVISION)
        .where(REVISION.SPEC.like("%\"secrets\":{%"))
        .limit(1)
        .fetchOptional(r -> SpecCodec.fromJson(r.value1()))
        .flatMap(spec -> spec.getSecretsMap().values().stream().findFirst());
  }

  /** The newest revision of the app below {@code revision}. */
  public Optional<Long> revisionBefore(String name, long revision) {
    return db.dsl().select(DSL.max(REVISION.REVISION_)).from(REVISION)
        .where(REVISION.APP.eq(name), REVISION.REVISION_.lt(revision))
        .fetchOptional(r -> r.value1());
  }

  /** Every live app, sorted by name, with its placed/running/healthy counts. */
  public List<AppCounts> list() {
    var placed = DSL.count().filterWhere(ASSIGNMENT.DESIRED.isTrue());
    var running = DSL.count().filterWhere(ASSIGNMENT.DESIRED.isTrue(), ASSIGNMENT.STATE.eq("running"));
    var healthy = DSL.count().filterWhere(ASSIGNMENT.DESIRED.isTrue(), ASSIGNMENT.HEALTHY.isTrue());
    return db.dsl().select(APP.NAME, APP.CURRENT_REVISION, APP.UPDATED_AT, placed, running, healthy)
        .from(APP)
        .leftJoin(ASSIGNMENT).on(ASSIGNMENT.APP.eq(APP.NAME))
        .where(APP.DELETED.isFalse())
        .groupBy(APP.NAME, APP.CURRENT_REVISION, APP.UPDATED_AT)
        .orderBy(APP.NAME)
        .fetch(r -> new AppCounts(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6()));
  }

  /** What the app looks like on its hosts; empty when the app was never applied. */
  public Optional<AppView> status(String name) {
    DSLContext dsl = db.dsl();
    var row = dsl.select(APP.CURRENT_REVISION, APP.DELETED, REVISION.SPEC)
        .from(APP)
        .join(REVISION).on(REVISION.APP.eq(APP.NAME), REVISION.REVISION_.eq(APP.CURRENT_REVISION))
        .where(APP.NAME.eq(name))
        .fetchOne();
    if (row == null) {
      return Optional.empty();
    }
    boolean exists = !row.value2();
    StatusSummary summary = new StatusSummary(0, "");
    if (exists) {
      AppSpec spec = SpecCodec.fromJson(row.value3());
      summary = StatusSummary.of(spec.getPlacement(), reader.matching(dsl, spec.getPlacement()));
    }
    List<AppView.Instance> instances = dsl.selectFrom(ASSIGNMENT).where(ASSIGNMENT.APP.eq(name))
        .orderBy(ASSIGNMENT.HOST)
        .fetch(a -> new AppView.Instance(a.getHost(),
            a.getReportedRevision() > 0 ? a.getReportedRevision() : a.getRevision(),
            a.getDesired() ? a.getState() : "removing",
            a.getHealthy(),
            a.getReason(),
            JsonColumns.lines(a.getLogTail()),
            a.getUpdatedAt(),
            JsonColumns.processes(a.getProcesses())));
    return Optional.of(new AppView(name, row.value1(), exists, summary.desired(), summary.shortfall(), instances,
        RolloutStore.view(dsl, name)));
  }
}
