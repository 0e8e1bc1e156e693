package io.drover.server.store;

import static io.drover.server.store.db.Tables.APP;
import static io.drover.server.store.db.Tables.ASSIGNMENT;
import static io.drover.server.store.db.Tables.REVISION;

import io.drover.api.v1.AppSpec;
import io.drover.server.placement.Placement;
import io.drover.server.placement.Placement.Candidate;
import io.drover.server.store.db.tables.records.AssignmentRecord;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link Placement} for apps inside a transaction and writes the outcome as assignment rows:
 * new rows (at the current revision) for new hosts, {@code desired=false} on hosts no longer chosen.
 * Kept rows keep their revision while their host runs the app: moving them is the rollout's job. A
 * drained (not lost) host keeps a {@code count} app's row desired until every chosen host runs it
 * healthy. Placement is serialized across servers by a transaction-level advisory lock.
 */
final class PlacementWriter {
  private static final Logger log = LoggerFactory.getLogger(PlacementWriter.class);
  /** Advisory lock key held while placing ("drover" in ASCII). */
  private static final long LOCK_KEY = 0x6472_6f76_6572L;

  private final HostCandidates candidates;
  private final Clock clock;

  PlacementWriter(HostCandidates candidates, Clock clock) {
    this.candidates = candidates;
    this.clock = clock;
  }

  /** Takes the placement lock until the transaction ends; call before reading what placement reads. */
  static void lock(DSLContext tx) {
    tx.fetch("select pg_advisory_xact_lock(?)", LOCK_KEY);
  }

  /** Places each app (deleted ones on no host) and returns the hosts whose assignments changed. */
  Set<String> place(DSLContext tx, Collection<String> apps) {
    lock(tx);
    List<Candidate> hosts = candidates.load(tx);
    Map<String, Integer> load = new HashMap<>(tx.select(ASSIGNMENT.HOST, DSL.count())
        .from(ASSIGNMENT)
        .where(ASSIGNMENT.DESIRED.isTrue())
        .groupBy(ASSIGNMENT.HOST)
        .fetchMap(r -> r.value1(), r -> r.value2()));
    Set<String> changed = new HashSet<>();
    for (String app : apps.stream().sorted().toList()) {
      changed.addAll(placeOne(tx, app, hosts, load));
    }
    return changed;
  }

  private Set<String> placeOne(DSLContext tx, String app, List<Candidate> hosts, Map<String, Integer> load) {
    var appRow = tx.selectFrom(APP).where(APP.NAME.eq(app)).fetchOne();
    if (appRow == null) {
      throw new IllegalStateException("cannot place app " + app + ": no such app");
    }
    long revision = appRow.getCurrentRevision();
    Map<String, AssignmentRecord> rows = tx.selectFrom(ASSIGNMENT)
        .where(ASSIGNMENT.APP.eq(app))
        .fetchMap(ASSIGNMENT.HOST);
    Set<String> current = rows.values().stream()
        .filter(AssignmentRecord::getDesired)
        .map(AssignmentRecord::getHost)
        .collect(Collectors.toSet());
    List<String> chosen;
    boolean handedOver = true;
    if (appRow.getDeleted()) {
      chosen = List.of();
    } else {
      AppSpec spec = SpecCodec.fromJson(tx.select(REVISION.SPEC)
          .from(REVISION)
          .where(REVISION.APP.eq(app), REVISION.REVISION_.eq(revision))
          .fetchSingle(REVISION.SPEC));
      Map<String, Integer> others = new HashMap<>(load);
      current.forEach(h -> others.merge(h, -1, Integer::sum));
      chosen = Placement.choose(spec.getPlacement(), hosts, others, current);
      if (!spec.getPlacement().getAll()) {
        handedOver = chosen.size() >= Placement.wanted(spec.getPlacement(), hosts) && chosen.stream()
            .map(rows::get)
            .allMatch(r -> r != null && r.getDesired() && "running".equals(r.getState()) && r.getHealthy());
      }
    }
    OffsetDateTime now = OffsetDateTime.now(clock);
    Set<String> changed = new HashSet<>();
    for (String host : chosen) {
      AssignmentRecord row = rows.get(host);
      if (row == null) {
        tx.insertInto(ASSIGNMENT)
            .set(ASSIGNMENT.APP, app)
            .set(ASSIGNMENT.HOST, host)
            .set(ASSIGNMENT.REVISION, revision)
            .set(ASSIGNMENT.DESIRED, true)
            .set(ASSIGNMENT.STATE, "pending")
            .set(ASSIGNMENT.UPDATED_AT, now)
            .execute();
      } else if (!row.getDesired() || (row.getRevision() != revision && row.getReportedRevision() == 0)) {
        // A host that runs an instance keeps its revision: the rollout controller moves it when its
        // batch comes. A host that never ran the app gets the current revision at once.
        boolean move = row.getRevision() != revision && row.getReportedRevision() == 0;
        var update = tx.update(ASSIGNMENT).set(ASSIGNMENT.DESIRED, true);
        if (move) {
          update = update.set(ASSIGNMENT.REVISION, revision).set(ASSIGNMENT.STATE, "pending").set(ASSIGNMENT.REASON, "");
        }
        update.set(ASSIGNMENT.UPDATED_AT, now)
            .where(ASSIGNMENT.APP.eq(app), ASSIGNMENT.HOST.eq(host))
            .execute();
      } else {
        continue;
      }
      changed.add(host);
    }
    // A drained host keeps a count app's instance until every replacement runs healthy: no moment
    // with fewer instances. Placement runs again on the reports (DrainHandover) and lets it go then.
    boolean hold = !handedOver;
    Set<String> dropped = current.stream()
        .filter(h -> !chosen.contains(h) && !(hold && drainedAndReachable(hosts, h)))
        .collect(Collectors.toSet());
    if (!dropped.isEmpty()) {
      tx.update(ASSIGNMENT)
          .set(ASSIGNMENT.DESIRED, false)
          .set(ASSIGNMENT.UPDATED_AT, now)
          .where(ASSIGNMENT.APP.eq(app), ASSIGNMENT.HOST.in(dropped))
          .execute();
      changed.addAll(dropped);
    }
    Set<String> chosenSet = Set.copyOf(chosen);
    chosen.stream().filter(h -> !current.contains(h)).forEach(h -> load.merge(h, 1, Integer::sum));
    dropped.forEach(h -> load.merge(h, -1, Integer::sum));
    if (!changed.isEmpty()) {
      log.debug("event=placed app={} revision={} hosts={} changed={}", app, revision, chosenSet, changed);
    }
    return changed;
  }

  private static boolean drainedAndReachable(List<Candidate> hosts, String host) {
    return hosts.stream().anyMatch(c -> c.name().equals(host) && c.drained() && !c.lost());
  }
}
