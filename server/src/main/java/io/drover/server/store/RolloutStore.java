package io.drover.server.store;

import static io.drover.server.store.db.Tables.APP;
import static io.drover.server.store.db.Tables.ASSIGNMENT;
import static io.drover.server.store.db.Tables.ROLLOUT;
import static io.drover.server.store.db.Tables.ROLLOUT_STEP;

import io.drover.server.changes.ChangeNotice;
import io.drover.server.rollout.RolloutDecider;
import io.drover.server.rollout.RolloutDecision;
import io.drover.server.rollout.RolloutPlanner.HostReport;
import io.drover.server.rollout.RolloutPlanner.Release;
import io.drover.server.rollout.RolloutPlanner.Step;
import io.drover.server.rollout.RolloutPlanner.StepState;
import io.drover.server.rollout.RolloutSnapshot;
import io.drover.server.rollout.RolloutState;
import io.drover.server.store.db.tables.records.RolloutRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rollouts and their per-host steps in PostgreSQL: started by apply, advanced by the leader, each
 * advance deciding with {@link RolloutDecider} and writing its decision in one fenced transaction.
 */
public final class RolloutStore {
  private static final Logger log = LoggerFactory.getLogger(RolloutStore.class);
  private static final String RUNNING = RolloutState.RUNNING.label();

  private final Database db;
  private final Clock clock;

  RolloutStore(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Ends the app's running rollout, if any, as {@code state} (superseded, cancelled). */
  static void finishRunning(DSLContext tx, String app, RolloutState state, OffsetDateTime now) {
    tx.update(ROLLOUT)
        .set(ROLLOUT.STATE, state.label())
        .set(ROLLOUT.FINISHED_AT, now)
        .where(ROLLOUT.APP.eq(app), ROLLOUT.STATE.eq(RUNNING))
        .execute();
  }

  /** Starts {@code release}, superseding the app's running rollout; inside the apply's transaction. */
  static void start(DSLContext tx, Release release, OffsetDateTime now) {
    finishRunning(tx, release.app(), RolloutState.SUPERSEDED, now);
    tx.insertInto(ROLLOUT)
        .set(ROLLOUT.APP, release.app())
        .set(ROLLOUT.REVISION, release.revision())
        .set(ROLLOUT.FROM_REVISION, release.fromRevision())
        .set(ROLLOUT.STATE, RUNNING)
        .set(ROLLOUT.MAX_PARALLEL, release.maxParallel())
        .set(ROLLOUT.MIN_HEALTHY_MILLIS, release.minHealthy().toMillis())
        .set(ROLLOUT.DEADLINE_MILLIS, release.deadline().toMillis())
        .set(ROLLOUT.AUTO_REVERT, release.autoRevert())
        .set(ROLLOUT.STARTED_AT, now)
        .execute();
  }

  /** The apps with a running rollout. */
  public List<String> running() {
    return db.dsl().select(ROLLOUT.APP).from(ROLLOUT).where(ROLLOUT.STATE.eq(RUNNING)).orderBy(ROLLOUT.APP)
        .fetch(ROLLOUT.APP);
  }

  /** What one advance did: the rollout's state after it and when to advance again. */
  public record Advanced(RolloutState state, Optional<Instant> wakeAt) {}

  /**
   * Advances the app's running rollout once: reads its snapshot, decides, writes the decision, in
   * one transaction that first runs {@code fence}. Empty when the app has no running rollout.
   */
  public Optional<Advanced> advance(String app, Fence fence) {
    return db.dsl().transactionResult(c -> {
      DSLContext tx = c.dsl();
      PlacementWriter.lock(tx);
      fence.check(tx);
      Optional<RolloutSnapshot> snapshot = snapshot(tx, app);
      if (snapshot.isEmpty()) {
        return Optional.<Advanced>empty();
      }
      RolloutDecision decision = RolloutDecider.advance(snapshot.get(), clock.instant());
      if (decision.writes()) {
        write(tx, snapshot.get().release(), decision);
      }
      return Optional.of(new Advanced(decision.state(), decision.wakeAt()));
    });
  }

  private static Optional<RolloutSnapshot> snapshot(DSLContext tx, String app) {
    RolloutRecord rollout = tx.selectFrom(ROLLOUT)
        .where(ROLLOUT.APP.eq(app), ROLLOUT.STATE.eq(RUNNING))
        .forUpdate()
        .fetchOne();
    if (rollout == null) {
      return Optional.empty();
    }
    var appRow = tx.selectFrom(APP).where(APP.NAME.eq(app)).fetchSingle();
    Release release = new Release(app, rollout.getRevision(), rollout.getFromRevision(), rollout.getMaxParallel(),
        Duration.ofMillis(rollout.getMinHealthyMillis()), Duration.ofMillis(rollout.getDeadlineMillis()),
        rollout.getAutoRevert());
    Map<String, Step> steps = tx.selectFrom(ROLLOUT_STEP)
        .where(ROLLOUT_STEP.APP.eq(app), ROLLOUT_STEP.REVISION.eq(rollout.getRevision()))
        .fetchMap(ROLLOUT_STEP.HOST, r -> new Step(r.getHost(), StepState.of(r.getState()),
            r.getStartedAt().toInstant(), r.getHealthySince() == null ? null : r.getHealthySince().toInstant(),
            r.getReason()));
    List<HostReport> hosts = tx.selectFrom(ASSIGNMENT)
        .where(ASSIGNMENT.APP.eq(app), ASSIGNMENT.DESIRED.isTrue())
        .fetch(a -> new HostReport(a.getHost(), a.getRevision(), a.getReportedRevision(), a.getState(),
            a.getHealthy(), a.getReason()));
    return Optional.of(new RolloutSnapshot(release, appRow.getDeleted(), appRow.getCurrentRevision(), steps, hosts));
  }

  private void write(DSLContext tx, Release release, RolloutDecision decision) {
    String app = release.app();
    long revision = release.revision();
    OffsetDateTime now = OffsetDateTime.now(clock);
    if (!decision.move().isEmpty()) {
      tx.update(ASSIGNMENT)
          .set(ASSIGNMENT.REVISION, revision)
          .set(ASSIGNMENT.STATE, "pending")
          .set(ASSIGNMENT.REASON, "")
          .set(ASSIGNMENT.UPDATED_AT, now)
          .where(ASSIGNMENT.APP.eq(app), ASSIGNMENT.HOST.eq(DSL.any(decision.move().toArray(String[]::new))),
              ASSIGNMENT.REVISION.ne(revision))
          .execute();
    }
    decision.newSteps().forEach(step -> insertStep(tx, app, revision, step));
    decision.changedSteps().forEach(step -> updateStep(tx, app, revision, step));
    if (decision.good()) {
      tx.update(APP).set(APP.GOOD_REVISION, revision).where(APP.NAME.eq(app)).execute();
    }
    if (decision.revertTo() > 0) {
      if (!decision.revert().isEmpty()) {
        tx.update(ASSIGNMENT)
            .set(ASSIGNMENT.REVISION, decision.revertTo())
            .set(ASSIGNMENT.UPDATED_AT, now)
            .where(ASSIGNMENT.APP.eq(app), ASSIGNMENT.HOST.eq(DSL.any(decision.revert().toArray(String[]::new))))
            .execute();
      }
      tx.update(APP).set(APP.CURRENT_REVISION, decision.revertTo()).set(APP.UPDATED_AT, now)
          .where(APP.NAME.eq(app)).execute();
    }
    if (decision.finished()) {
      tx.update(ROLLOUT)
          .set(ROLLOUT.STATE, decision.state().label())
          .set(ROLLOUT.REASON, decision.reason())
          .set(ROLLOUT.FINISHED_AT, now)
          .where(ROLLOUT.APP.eq(app), ROLLOUT.REVISION.eq(revision))
          .execute();
      log.info("event=rollout_finished app={} revision={} state={} reason=\"{}\"", app, revision,
          decision.state().label(), decision.reason());
    } else if (!decision.move().isEmpty()) {
      log.info("event=rollout_batch app={} revision={} count={} hosts={}", app, revision, decision.move().size(),
          LogSample.of(decision.move()));
    }
    ChangeNotice.of(decision.changedHosts(), Set.of(app)).publish(tx);
  }

  private static void insertStep(DSLContext tx, String app, long revision, Step step) {
    tx.insertInto(ROLLOUT_STEP)
        .set(ROLLOUT_STEP.APP, app)
        .set(ROLLOUT_STEP.REVISION, revision)
        .set(ROLLOUT_STEP.HOST, step.host())
        .set(ROLLOUT_STEP.STATE, step.state().label())
        .set(ROLLOUT_STEP.STARTED_AT, step.startedAt().atOffset(ZoneOffset.UTC))
        .set(ROLLOUT_STEP.HEALTHY_SINCE, healthySince(step))
        .set(ROLLOUT_STEP.REASON, step.reason())
        .execute();
  }

  private static void updateStep(DSLContext tx, String app, long revision, Step step) {
    tx.update(ROLLOUT_STEP)
        .set(ROLLOUT_STEP.STATE, step.state().label())
        .set(ROLLOUT_STEP.HEALTHY_SINCE, healthySince(step))
        .set(ROLLOUT_STEP.REASON, step.reason())
        .where(ROLLOUT_STEP.APP.eq(app), ROLLOUT_STEP.REVISION.eq(revision), ROLLOUT_STEP.HOST.eq(step.host()))
        .execute();
  }

  private static OffsetDateTime healthySince(Step step) {
    return step.healthySince() == null ? null : step.healthySince().atOffset(ZoneOffset.UTC);
  }

  /** The app's latest rollout with every desired host of the app; empty when it never had one. */
  public Optional<RolloutView> view(String app) {
    return view(db.dsl(), app);
  }

  static Optional<RolloutView> view(DSLContext dsl, String app) {
    RolloutRecord r = dsl.selectFrom(ROLLOUT).where(ROLLOUT.APP.eq(app))
        .orderBy(ROLLOUT.REVISION.desc(), ROLLOUT.STARTED_AT.desc()).limit(1).fetchOne();
    if (r == null) {
      return Optional.empty();
    }
    var steps = dsl.selectFrom(ROLLOUT_STEP)
        .where(ROLLOUT_STEP.APP.eq(app), ROLLOUT_STEP.REVISION.eq(r.getRevision()))
        .fetchMap(ROLLOUT_STEP.HOST);
    var assignments = dsl.selectFrom(ASSIGNMENT)
        .where(ASSIGNMENT.APP.eq(app), ASSIGNMENT.DESIRED.isTrue())
        .fetchMap(ASSIGNMENT.HOST);
    List<RolloutView.Host> hosts = new TreeSet<>(assignments.keySet()).stream().map(host -> {
      var a = assignments.get(host);
      var step = steps.get(host);
      return new RolloutView.Host(host,
          step == null ? "waiting" : step.getState(),
          a.getRevision(),
          a.getState(),
          a.getHealthy(),
          step != null && !step.getReason().isEmpty() ? step.getReason() : a.getReason(),
          Optional.ofNullable(step == null ? null : step.getStartedAt()));
    }).toList();
    return Optional.of(new RolloutView(app, r.getRevision(), r.getFromRevision(), r.getState(), r.getMaxParallel(),
        Duration.ofMillis(r.getMinHealthyMillis()), Duration.ofMillis(r.getDeadlineMillis()), r.getAutoRevert(),
        r.getStartedAt(), Optional.ofNullable(r.getFinishedAt()), r.getReason(), hosts));
  }
}
