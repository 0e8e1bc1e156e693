package io.drover.server.store;

import static io.drover.server.store.db.Tables.APP;
import static io.drover.server.store.db.Tables.ASSIGNMENT;
import static io.drover.server.store.db.Tables.REVISION;

import io.drover.api.v1.App;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.AppStatus;
import io.drover.api.v1.AppSummary;
import io.drover.api.v1.Instance;
import io.drover.api.v1.Plan;
import io.drover.api.v1.Revision;
import io.drover.server.history.SpecChanges;
import io.drover.server.changes.ChangeNotice;
import io.drover.server.placement.Placement;
import io.drover.server.plan.AppPlanner;
import io.drover.server.placement.Placement.Candidate;
import io.drover.server.store.db.tables.records.AppRecord;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
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

  private final Database db;
  private final HostCandidates candidates;
  private final PlacementWriter placement;
  private final Clock clock;

  AppStore(Database db, HostCandidates candidates, PlacementWriter placement, Clock clock) {
    this.db = db;
    this.candidates = candidates;
    this.placement = placement;
    this.clock = clock;
  }

  /** The outcome of an apply: the app's current revision, and whether the apply created it. */
  public record Applied(String app, long revision, boolean changed) {}

  /**
   * Stores the (already validated) spec as revision N+1 and places the app, unless it equals the
   * current revision of a live app. One transaction; publishes the hosts whose assignments changed.
   */
  public Applied apply(AppSpec spec) {
    return apply(spec, 0);
  }

  /**
   * {@link #apply(AppSpec)}, noting that the revision copies revision {@code rollbackOf} (0: none).
   * A changed spec also starts its rollout from the app's last good revision.
   */
  public Applied apply(AppSpec spec, long rollbackOf) {
    String name = spec.getName();
    String hash = SpecCodec.hash(spec);
    return db.dsl().transactionResult(c -> {
      DSLContext tx = c.dsl();
      PlacementWriter.lock(tx);
      OffsetDateTime now = OffsetDateTime.now(clock);
      AppRecord app = tx.selectFrom(APP).where(APP.NAME.eq(name)).forUpdate().fetchOne();
      if (app != null && !app.getDeleted()) {
        String currentHash = tx.select(REVISION.SPEC_HASH).from(REVISION)
            .where(REVISION.APP.eq(name), REVISION.REVISION_.eq(app.getCurrentRevision()))
            .fetchSingle(REVISION.SPEC_HASH);
        if (currentHash.equals(hash)) {
          return new Applied(name, app.getCurrentRevision(), false);
        }
      }
      long revision = 1 + tx.select(DSL.coalesce(DSL.max(REVISION.REVISION_), 0L)).from(REVISION)
          .where(REVISION.APP.eq(name)).fetchSingle(0, Long.class);
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
          .set(REVISION.ROLLBACK_OF, rollbackOf)
          .execute();
      Set<String> hosts = placement.place(tx, List.of(name));
      RolloutStore.start(tx, name, revision, good, spec.getUpdate(), now);
      ChangeNotice.of(hosts, Set.of(name)).publish(tx);
      log.info("event=app_applied app={} revision={} hosts_changed={}", name, revision, hosts.size());
      return new Applied(name, revision, true);
    });
  }

  /**
   * What {@link #apply(AppSpec)} of the (already validated) spec would change, computed from what the
   * store holds now, without writing anything.
   */
  public Plan plan(AppSpec spec) {
    String name = spec.getName();
    DSLContext dsl = db.dsl();
    AppRecord app = dsl.selectFrom(APP).where(APP.NAME.eq(name)).fetchOne();
    AppPlanner.Current current = null;
    boolean changed = true;
    if (app != null && !app.getDeleted()) {
      var row = dsl.select(REVISION.SPEC, REVISION.SPEC_HASH).from(REVISION)
          .where(REVISION.APP.eq(name), REVISION.REVISION_.eq(app.getCurrentRevision()))
          .fetchSingle();
      current = new AppPlanner.Current(app.getCurrentRevision(), SpecCodec.fromJson(row.value1()));
      changed = !row.value2().equals(SpecCodec.hash(spec));
    }
    long next = 1 + dsl.select(DSL.coalesce(DSL.max(REVISION.REVISION_), 0L)).from(REVISION)
        .where(REVISION.APP.eq(name)).fetchSingle(0, Long.class);
    Map<String, Integer> load = new HashMap<>(dsl.select(ASSIGNMENT.HOST, DSL.count())
        .from(ASSIGNMENT)
        .where(ASSIGNMENT.DESIRED.isTrue())
        .groupBy(ASSIGNMENT.HOST)
        .fetchMap(r -> r.value1(), r -> r.value2()));
    Map<Long, AppSpec> specs = new HashMap<>();
    List<AppPlanner.Placed> placed = app == null || app.getDeleted() ? List.of() : dsl.selectFrom(ASSIGNMENT)
        .where(ASSIGNMENT.APP.eq(name), ASSIGNMENT.DESIRED.isTrue())
        .fetch(a -> {
          long revision = a.getReportedRevision() > 0 ? a.getReportedRevision() : a.getRevision();
          AppSpec runs = specs.computeIfAbsent(revision, r -> spec(name, r).orElseThrow(() ->
              new IllegalStateException("app " + name + " has no revision " + r + " (host " + a.getHost() + ")")));
          return new AppPlanner.Placed(a.getHost(), revision, runs);
        });
    return AppPlanner.plan(spec, current, changed, next, candidates.load(dsl), load, placed);
  }

  /**
   * Marks the app deleted and all its assignments undesired; the rows go when the agents report the
   * app removed. Returns false when there is no such live app.
   */
  public boolean delete(String name) {
    return db.dsl().transactionResult(c -> {
      DSLContext tx = c.dsl();
      PlacementWriter.lock(tx);
      int marked = tx.update(APP)
          .set(APP.DELETED, true)
          .set(APP.UPDATED_AT, OffsetDateTime.now(clock))
          .where(APP.NAME.eq(name), APP.DELETED.isFalse())
          .execute();
      if (marked == 0) {
        return false;
      }
      RolloutStore.finishRunning(tx, name, "cancelled", OffsetDateTime.now(clock));
      Set<String> hosts = placement.place(tx, List.of(name));
      ChangeNotice.of(hosts, Set.of(name)).publish(tx);
      log.info("event=app_deleted app={} hosts_changed={}", name, hosts.size());
      return true;
    });
  }

  /** The live app with its current spec; empty when unknown or deleted. */
  public Optional<App> get(String name) {
    return db.dsl().select(APP.NAME, APP.CURRENT_REVISION, APP.UPDATED_AT, REVISION.SPEC)
        .from(APP)
        .join(REVISION).on(REVISION.APP.eq(APP.NAME), REVISION.REVISION_.eq(APP.CURRENT_REVISION))
        .where(APP.NAME.eq(name), APP.DELETED.isFalse())
        .fetchOptional(r -> App.newBuilder()
            .setName(r.value1())
            .setRevision(r.value2())
            .setUpdatedAt(HostStore.timestamp(r.value3()))
            .setSpec(SpecCodec.fromJson(r.value4()))
            .build());
  }

  /** Every revision of the app, newest first, with what changed from the one before; empty when unknown. */
  public Optional<List<Revision>> revisions(String name) {
    DSLContext dsl = db.dsl();
    Long current = dsl.select(APP.CURRENT_REVISION).from(APP).where(APP.NAME.eq(name)).fetchOne(APP.CURRENT_REVISION);
    if (current == null) {
      return Optional.empty();
    }
    List<Revision> out = new ArrayList<>();
    AppSpec[] previous = {null};
    dsl.selectFrom(REVISION).where(REVISION.APP.eq(name)).orderBy(REVISION.REVISION_).forEach(r -> {
      AppSpec spec = SpecCodec.fromJson(r.getSpec());
      out.add(Revision.newBuilder()
          .setRevision(r.getRevision())
          .setCreatedAt(HostStore.timestamp(r.getCreatedAt()))
          .setCreatedBy(r.getCreatedBy())
          .addAllChanges(SpecChanges.between(previous[0], spec))
          .setCurrent(r.getRevision() == current)
          .setRollbackOf(r.getRollbackOf())
          .build());
      previous[0] = spec;
    });
    return Optional.of(out.reversed());
  }

  /** The spec stored as revision {@code revision} of the app. */
  public Optional<AppSpec> spec(String name, long revision) {
    return db.dsl().select(REVISION.SPEC).from(REVISION)
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
  public List<AppSummary> list() {
    var placed = DSL.count().filterWhere(ASSIGNMENT.DESIRED.isTrue());
    var running = DSL.count().filterWhere(ASSIGNMENT.DESIRED.isTrue(), ASSIGNMENT.STATE.eq("running"));
    var healthy = DSL.count().filterWhere(ASSIGNMENT.DESIRED.isTrue(), ASSIGNMENT.HEALTHY.isTrue());
    return db.dsl().select(APP.NAME, APP.CURRENT_REVISION, APP.UPDATED_AT, placed, running, healthy)
        .from(APP)
        .leftJoin(ASSIGNMENT).on(ASSIGNMENT.APP.eq(APP.NAME))
        .where(APP.DELETED.isFalse())
        .groupBy(APP.NAME, APP.CURRENT_REVISION, APP.UPDATED_AT)
        .orderBy(APP.NAME)
        .fetch(r -> AppSummary.newBuilder()
            .setName(r.value1())
            .setRevision(r.value2())
            .setUpdatedAt(HostStore.timestamp(r.value3()))
            .setPlaced(r.value4())
            .setRunning(r.value5())
            .setHealthy(r.value6())
            .build());
  }

  /** What the app looks like on its hosts; empty when the app was never applied. */
  public Optional<AppStatus> status(String name) {
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
    AppSpec spec = SpecCodec.fromJson(row.value3());
    AppStatus.Builder status = AppStatus.newBuilder().setApp(name).setRevision(row.value1()).setExists(exists);
    if (exists) {
      List<Candidate> hosts = candidates.load(dsl);
      status.setDesired(Placement.wanted(spec.getPlacement(), hosts));
      status.setShortfall(Placement.shortfall(spec.getPlacement(), hosts));
    }
    dsl.selectFrom(ASSIGNMENT).where(ASSIGNMENT.APP.eq(name)).orderBy(ASSIGNMENT.HOST).forEach(a -> {
      status.addInstances(Instance.newBuilder()
          .setHost(a.getHost())
          .setRevision(a.getReportedRevision() > 0 ? a.getReportedRevision() : a.getRevision())
          .setState(a.getDesired() ? a.getState() : "removing")
          .setHealthy(a.getHealthy())
          .setReason(a.getReason())
          .addAllLogTail(JsonColumns.lines(a.getLogTail()))
          .setUpdatedAt(HostStore.timestamp(a.getUpdatedAt()))
          .build());
    });
    RolloutStore.view(dsl, name).ifPresent(status::setRollout);
    return Optional.of(status.build());
  }
}
