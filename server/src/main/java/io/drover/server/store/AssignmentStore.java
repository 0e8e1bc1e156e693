package io.drover.server.store;

import static io.drover.server.store.db.Tables.ASSIGNMENT;
import static io.drover.server.store.db.Tables.REVISION;

import io.drover.api.v1.AppSpec;
import io.drover.api.v1.InstanceState;
import io.drover.api.v1.InstanceStatus;
import io.drover.server.changes.ChangeNotice;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Assignment rows from the agents' side: what each host must run, and what it reports. */
public final class AssignmentStore {
  private static final Logger log = LoggerFactory.getLogger(AssignmentStore.class);
  /** Hosts read per query when building assignment sets. */
  private static final int BATCH = 1000;

  private final Database db;
  private final Clock clock;

  public AssignmentStore(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** One app a host must run: the revision and its stored spec (secrets sealed). */
  public record HostAssignment(String app, long revision, AppSpec spec) {}

  /**
   * The complete desired set of each given host (hosts without assignments get an empty list), with
   * the spec of each assigned revision, sorted by app.
   */
  public Map<String, List<HostAssignment>> desired(Collection<String> hosts) {
    Map<String, List<HostAssignment>> sets = new HashMap<>();
    hosts.forEach(h -> sets.put(h, new ArrayList<>()));
    Map<String, AppSpec> specs = new HashMap<>();
    List<String> all = List.copyOf(hosts);
    for (int i = 0; i < all.size(); i += BATCH) {
      List<String> batch = all.subList(i, Math.min(all.size(), i + BATCH));
      db.dsl().select(ASSIGNMENT.HOST, ASSIGNMENT.APP, ASSIGNMENT.REVISION, REVISION.SPEC)
          .from(ASSIGNMENT)
          .join(REVISION).on(REVISION.APP.eq(ASSIGNMENT.APP), REVISION.REVISION_.eq(ASSIGNMENT.REVISION))
          .where(ASSIGNMENT.DESIRED.isTrue(), ASSIGNMENT.HOST.in(batch))
          .orderBy(ASSIGNMENT.HOST, ASSIGNMENT.APP)
          .forEach(r -> sets.get(r.value1()).add(new HostAssignment(r.value2(), r.value3(),
              specs.computeIfAbsent(r.value2() + "@" + r.value3(), k -> SpecCodec.fromJson(r.value4())))));
    }
    Map<String, List<HostAssignment>> result = new HashMap<>();
    sets.forEach((host, set) -> result.put(host, List.copyOf(set)));
    return result;
  }

  /** Records what the agent of {@code host} reports about one app, and tells the app's watchers. */
  public void report(String host, InstanceStatus status) {
    db.dsl().transaction(c -> {
      DSLContext tx = c.dsl();
      if (record(tx, host, status)) {
        ChangeNotice.apps(Set.of(status.getApp())).publish(tx);
      }
    });
  }

  /**
   * Records many status reports (host name to what its agent reported, of any hosts) in one
   * transaction, in the order given, and publishes one notice naming the apps whose rows changed.
   * Returns that notice.
   */
  public ChangeNotice reportAll(List<Map.Entry<String, InstanceStatus>> reports) {
    if (reports.isEmpty()) {
      return ChangeNotice.NONE;
    }
    return db.dsl().transactionResult(c -> {
      DSLContext tx = c.dsl();
      Set<String> apps = new HashSet<>();
      for (Map.Entry<String, InstanceStatus> report : reports) {
        if (record(tx, report.getKey(), report.getValue())) {
          apps.add(report.getValue().getApp());
        }
      }
      ChangeNotice notice = ChangeNotice.apps(apps);
      notice.publish(tx);
      return notice;
    });
  }

  /**
   * Applies one status report to the host's row of the app; REMOVED deletes a row that is no longer
   * desired. Returns false when the host has no row for the app.
   */
  boolean record(DSLContext tx, String host, InstanceStatus status) {
    var where = ASSIGNMENT.APP.eq(status.getApp()).and(ASSIGNMENT.HOST.eq(host));
    if (status.getState() == InstanceState.INSTANCE_STATE_REMOVED) {
      int deleted = tx.deleteFrom(ASSIGNMENT).where(where, ASSIGNMENT.DESIRED.isFalse()).execute();
      if (deleted > 0) {
        log.debug("event=instance_removed app={} host={}", status.getApp(), host);
        return true;
      }
      // Still desired: the agent will install it again; show it as pending until it reports.
      return tx.update(ASSIGNMENT)
          .set(ASSIGNMENT.STATE, "pending")
          .set(ASSIGNMENT.HEALTHY, false)
          .set(ASSIGNMENT.REASON, status.getReason())
          .set(ASSIGNMENT.UPDATED_AT, OffsetDateTime.now(clock))
          .where(where)
          .execute() > 0;
    }
    var update = tx.update(ASSIGNMENT)
        .set(ASSIGNMENT.REPORTED_REVISION, status.getRevision())
        .set(ASSIGNMENT.STATE, stateName(status.getState()))
        .set(ASSIGNMENT.HEALTHY, status.getHealthy())
        .set(ASSIGNMENT.REASON, status.getReason())
        .set(ASSIGNMENT.LOG_TAIL, JsonColumns.lines(status.getLogTailList()));
    if (status.getProcessesCount() > 0 || status.getState() != InstanceState.INSTANCE_STATE_RUNNING) {
      // a health flip of a running instance says nothing of its processes: the last report stands
      update = update.set(ASSIGNMENT.PROCESSES, JsonColumns.processes(status.getProcessesList()));
    }
    int updated = update
        .set(ASSIGNMENT.UPDATED_AT, OffsetDateTime.now(clock))
        .where(where)
        .execute();
    if (updated == 0) {
      log.debug("event=status_ignored reason=no_assignment app={} host={}", status.getApp(), host);
    }
    return updated > 0;
  }

  static String stateName(InstanceState state) {
    return switch (state) {
      case INSTANCE_STATE_STARTING -> "starting";
      case INSTANCE_STATE_RUNNING -> "running";
      case INSTANCE_STATE_FAILED -> "failed";
      case INSTANCE_STATE_REMOVED -> "removed";
      default -> "pending";
    };
  }
}
