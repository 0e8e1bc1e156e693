package io.drover.server.store;

import static io.drover.server.store.db.Tables.APP;
import static io.drover.server.store.db.Tables.ASSIGNMENT;
import static io.drover.server.store.db.Tables.ROLLOUT;
import static io.drover.server.store.db.Tables.ROLLOUT_STEP;

import io.drover.api.v1.Rollout;
import io.drover.api.v1.RolloutHost;
import io.drover.api.v1.UpdateSpec;
import io.drover.server.changes.ChangeNotice;
import io.drover.server.rollout.RolloutPlanner;
import io.drover.server.rollout.RolloutPlanner.Decision;
import io.drover.server.rollout.RolloutPlanner.HostReport;
import io.drover.server.rollout.RolloutPlanner.Outcome;
import io.drover.server.rollout.RolloutPlanner.Release;
import io.drover.server.rollout.RolloutPlanner.Step;
import io.drover.server.rollout.RolloutPlanner.StepState;
import io.drover.server.store.db.tables.records.RolloutRecord;
import io.drover.spec.SpecRules;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Rollouts and their per-host steps in PostgreSQL: started by apply, advanced by the leader. */
public final class RolloutStore {
  private static final Logger log = LoggerFactory.getLogger(RolloutStore.class);
  public static final String RUNNING = "running";

  private final Database db;
  private final Clock clock;

  RolloutStore(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Ends the app's running rollout, if any, as {@code state} (superseded, cancelled). */
  static void finishRunning(DSLContext tx, String app, String state, OffsetDateTime now) {
    tx.update(ROLLOUT)
        .set(ROLLOUT.STATE, state)
        .set(ROLLOUT.FINISHED_AT, now)
        .where(ROLLOUT.APP.eq(app), ROLLOUT.STATE.eq(RUNNING))
        .execute();
  }

  /** Starts the rollout of {@code revision}, superseding a running one; inside the apply's transaction. */
  static void start(DSLContext tx, String app, long revision, long from, UpdateSpec update, OffsetDateTime now) {
    finishRunning(tx, app, "superseded", now);
    tx.insertInto(ROLLOUT)
        .set(ROLLOUT.APP, app)
        .set(ROLLOUT.REVISION, revision)
        .set(ROLLOUT.FROM_REVISION, from)
        .set(ROLLOUT.STATE, RUNNING)
        .set(ROLLOUT.MAX_PARALLEL, SpecRules.maxParallel(update))
        .set(ROLLOUT.MIN_HEALTHY_MILLIS, SpecRules.minHealthy(update).toMillis())
        .set(ROLLOUT.DEADLINE_MILLIS, SpecRules.deadline(update).toMillis())
        .set(ROLLOUT.AUTO_REVERT, SpecRules.autoRevert(update))
        .set(ROLLOUT.STARTED_AT, now)
        .execute();
  }

  /** The apps with a running rollout. */
  public List<String> running() {
    return db.dsl().select(ROLLOUT.APP).from(ROLLOUT).where(ROLLOUT.STATE.eq(RUNNING)).orderBy(ROLLOUT.APP)
        .fetch(ROLLOUT.APP);
  }

  /** What one advance did: the rollout's state after it and when to plan again. */
  public record Advanced(String state, Optional<Instant> wakeAt) {}

  /**
   * Plans the app's running rollout once and writes the outcome, in one transaction that first runs
   * {@code fence}. Empty when the app has no running rollout.
   */
  public Optional<Advanced> advance(String app, Fence fence) {
    return db.dsl().transactionResult(c -> {
      DSLContext tx = c.dsl();
      PlacementWriter.lock(tx);
      fence.check(tx);
      RolloutRecord rollout = tx.selectFrom(ROLLOUT)
          .where(ROLLOUT.APP.eq(app), ROLLOUT.STATE.eq(RUNNING))
          .forUpdate()
          .fetchOne();
      if (rollout == null) {
        return Optional.<Advanced>empty();
      }
      OffsetDateTime now = OffsetDateTime.now(clock);
      var appRow = tx.selectFrom(APP).where(APP.NAME.eq(app)).fetchSingle();
      if (appRow.getDeleted() || appRow.getCurrentRevision() != rollout.getRevision()) {
        String state = appRow.getDeleted() ? "cancelled" : "superseded";
        finish(tx, rollout, state, "", now);
        ChangeNotice.apps(Set.of(app)).publish(tx);
        return Optional.of(new Advanced(state, Optional.empty()));
      }
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
      Decision decision = RolloutPlanner.plan(release, steps, hosts, now.toInstant());
      if (!decision.changes()) {
        return Optional.of(new Advanced(RUNNING, decision.wakeAt()));
      }
      Set<String> changedHosts = new HashSet<>(decision.assign());
      if (!decision.assign().isEmpty()) {
        moveTo(tx, app, rollout.getRevision(), decision.assign(), now);
      }
      decision.steps().values().forEach(step -> saveStep(tx, app, rollout.getRevision(), step, steps.containsKey(step.host())));
      String state = switch (decision.outcome()) {
        case CONTINUE -> RUNNING;
        case SUCCEEDED -> "succeeded";
        case FAILED -> "failed";
        case REVERTED -> "reverted";
      };
      if (decision.outcome() == Outcome.SUCCEEDED) {
        tx.update(APP).set(APP.GOOD_REVISION, rollout.getRevision()).where(APP.NAME.eq(app)).execute();
      }
      if (decision.outcome() == Outcome.REVERTED) {
        long from = rollout.getFromRevision();
        List<String> back = hosts.stream().filter(h -> h.assignedRevision() != from).map(HostReport::host).toList();
        // Reported state stays until the agents report the old revision: a failure stays visible.
        tx.update(ASSIGNMENT)
            .set(ASSIGNMENT.REVISION, from)
            .set(ASSIGNMENT.UPDATED_AT, now)
            .where(ASSIGNMENT.APP.eq(app), ASSIGNMENT.HOST.in(back))
            .execute();
        changedHosts.addAll(back);
        tx.update(APP).set(APP.CURRENT_REVISION, from).set(APP.UPDATED_AT, now).where(APP.NAME.eq(app)).execute();
      }
      if (decision.outcome() != Outcome.CONTINUE) {
        finish(tx, rollout, state, decision.reason(), now);
        log.info("event=rollout_finished app={} revision={} state={} reason=\"{}\"", app, rollout.getRevision(), state,
            decision.reason());
      } else if (!decision.assign().isEmpty()) {
        log.info("event=rollout_batch app={} revision={} hosts={}", app, rollout.getRevision(), decision.assign());
      }
      ChangeNotice.of(changedHosts, Set.of(app)).publish(tx);
      return Optional.of(new Advanced(state, decision.wakeAt()));
    });
  }

  private static void moveTo(DSLContext tx, String app, long revision, List<String> hosts, OffsetDateTime now) {
    tx.update(ASSIGNMENT)
        .set(ASSIGNMENT.REVISION, revision)
        .set(ASSIGNMENT.STATE, "pending")
        .set(ASSIGNMENT.REASON, "")
        .set(ASSIGNMENT.UPDATED_AT, now)
        .where(ASSIGNMENT.APP.eq(app), ASSIGNMENT.HOST.in(hosts), ASSIGNMENT.REVISION.ne(revision))
        .execute();
  }

  private static void saveStep(DSLContext tx, String app, long revision, Step step, boolean exists) {
    OffsetDateTime since = step.healthySince() == null ? null : step.healthySince().atOffset(ZoneOffset.UTC);
    if (exists) {
      tx.update(ROLLOUT_STEP)
          .set(ROLLOUT_STEP.STATE, step.state().label())
          .set(ROLLOUT_STEP.HEALTHY_SINCE, since)
          .set(ROLLOUT_STEP.REASON, step.reason())
          .where(ROLLOUT_STEP.APP.eq(app), ROLLOUT_STEP.REVISION.eq(revision), ROLLOUT_STEP.HOST.eq(step.host()))
          .execute();
    } else {
      tx.insertInto(ROLLOUT_STEP)
          .set(ROLLOUT_STEP.APP, app)
          .set(ROLLOUT_STEP.REVISION, revision)
          .set(ROLLOUT_STEP.HOST, step.host())
          .set(ROLLOUT_STEP.STATE, step.state().label())
          .set(ROLLOUT_STEP.STARTED_AT, step.startedAt().atOffset(ZoneOffset.UTC))
          .set(ROLLOUT_STEP.HEALTHY_SINCE, since)
          .set(ROLLOUT_STEP.REASON, step.reason())
          .execute();
    }
  }

  private static void finish(DSLContext tx, RolloutRecord rollout, String state, String reason, OffsetDateTime now) {
    tx.update(ROLLOUT)
        .set(ROLLOUT.STATE, state)
        .set(ROLLOUT.REASON, reason)
        .set(ROLLOUT.FINISHED_AT, now)
        .where(ROLLOUT.APP.eq(rollout.getApp()), ROLLOUT.REVISION.eq(rollout.getRevision()))
        .execute();
  }

  /** The app's latest rollout with every host of the app; empty when it never had one. */
  public Optional<Rollout> view(String app) {
    return view(db.dsl(), app);
  }

  static Optional<Rollout> view(DSLContext dsl, String app) {
    RolloutRecord r = dsl.selectFrom(ROLLOUT).where(ROLLOUT.APP.eq(app))
        .orderBy(ROLLOUT.REVISION.desc(), ROLLOUT.STARTED_AT.desc()).limit(1).fetchOne();
    if (r == null) {
      return Optional.empty();
    }
    Rollout.Builder out = Rollout.newBuilder()
        .setApp(app)
        .setRevision(r.getRevision())
        .setFromRevision(r.getFromRevision())
        .setState(r.getState())
        .setMaxParallel(r.getMaxParallel())
        .setMinHealthy(duration(r.getMinHealthyMillis()))
        .setDeadline(duration(r.getDeadlineMillis()))
        .setAutoRevert(r.getAutoRevert())
        .setStartedAt(HostStore.timestamp(r.getStartedAt()))
        .setReason(r.getReason());
    if (r.getFinishedAt() != null) {
      out.setFinishedAt(HostStore.timestamp(r.getFinishedAt()));
    }
    var steps = dsl.selectFrom(ROLLOUT_STEP)
        .where(ROLLOUT_STEP.APP.eq(app), ROLLOUT_STEP.REVISION.eq(r.getRevision()))
        .fetchMap(ROLLOUT_STEP.HOST);
    var assignments = dsl.selectFrom(ASSIGNMENT)
        .where(ASSIGNMENT.APP.eq(app), ASSIGNMENT.DESIRED.isTrue())
        .fetchMap(ASSIGNMENT.HOST);
    Set<String> hosts = new java.util.TreeSet<>(assignments.keySet());
    hosts.addAll(steps.keySet().stream().filter(assignments::containsKey).collect(Collectors.toSet()));
    for (String host : hosts) {
      var a = assignments.get(host);
      var step = steps.get(host);
      RolloutHost.Builder h = RolloutHost.newBuilder()
          .setHost(host)
          .setStep(step == null ? "waiting" : step.getState())
          .setRevision(a.getRevision())
          .setState(a.getState())
          .setHealthy(a.getHealthy())
          .setReason(step != null && !step.getReason().isEmpty() ? step.getReason() : a.getReason());
      if (step != null) {
        h.setStartedAt(HostStore.timestamp(step.getStartedAt()));
      }
      out.addHosts(h);
    }
    return Optional.of(out.build());
  }

  private static com.google.protobuf.Duration duration(long millis) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(Math.floorDiv(millis, 1000))
        .setNanos(Math.toIntExact(Math.floorMod(millis, 1000L) * 1_000_000L))
        .build();
  }
}
