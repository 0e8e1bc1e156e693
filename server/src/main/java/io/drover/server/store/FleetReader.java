package io.drover.server.store;

import static io.drover.server.store.db.Tables.APP;
import static io.drover.server.store.db.Tables.ASSIGNMENT;
import static io.drover.server.store.db.Tables.HOST;
import static io.drover.server.store.db.Tables.REVISION;

import io.drover.api.v1.PlacementSpec;
import io.drover.server.placement.AppRows;
import io.drover.server.placement.AppRows.Row;
import io.drover.server.placement.FleetSlice;
import io.drover.server.placement.Placement.Candidate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Reads the snapshots placement decides on, only as much of the fleet as the apps at hand need: the
 * apps with their rows, and the hosts matching one of their selectors or holding one of their rows
 * (a selector is matched in PostgreSQL: the host's labels contain it, as JSON).
 */
final class FleetReader {
  private final HostCandidates candidates;

  FleetReader(HostCandidates candidates) {
    this.candidates = candidates;
  }

  /** The named apps as placement reads them, sorted by name; throws for a name with no app. */
  List<AppRows> apps(DSLContext tx, Collection<String> names) {
    Set<String> wanted = new TreeSet<>(names);
    if (wanted.isEmpty()) {
      return List.of();
    }
    Map<String, List<Row>> rows = tx.selectFrom(ASSIGNMENT)
        .where(ASSIGNMENT.APP.in(wanted))
        .orderBy(ASSIGNMENT.APP, ASSIGNMENT.HOST)
        .fetchGroups(ASSIGNMENT.APP, a -> new Row(a.getHost(), a.getRevision(), a.getDesired(),
            a.getReportedRevision(), a.getState(), a.getHealthy()));
    List<AppRows> apps = tx.select(APP.NAME, APP.DELETED, APP.CURRENT_REVISION, REVISION.SPEC)
        .from(APP)
        .join(REVISION).on(REVISION.APP.eq(APP.NAME), REVISION.REVISION_.eq(APP.CURRENT_REVISION))
        .where(APP.NAME.in(wanted))
        .orderBy(APP.NAME)
        .fetch(r -> new AppRows(r.value1(), r.value2(), r.value3(), r.value2() ? null : SpecCodec.fromJson(r.value4()),
            rows.getOrDefault(r.value1(), List.of())));
    if (apps.size() != wanted.size()) {
      wanted.removeAll(apps.stream().map(AppRows::app).toList());
      throw new IllegalStateException("cannot place apps " + wanted + ": no such app");
    }
    return apps;
  }

  /**
   * The named apps as {@link io.drover.server.placement.HostJoin} reads them for {@code host}: an
   * {@code all} app with only the host's own row (it needs no other), a {@code count} app with all
   * its rows. Unknown and deleted apps are left out.
   */
  List<AppRows> forJoining(DSLContext tx, Collection<String> names, String host) {
    if (names.isEmpty()) {
      return List.of();
    }
    List<AppRows> heads = tx.select(APP.NAME, APP.CURRENT_REVISION, REVISION.SPEC)
        .from(APP)
        .join(REVISION).on(REVISION.APP.eq(APP.NAME), REVISION.REVISION_.eq(APP.CURRENT_REVISION))
        .where(APP.NAME.in(names), APP.DELETED.isFalse())
        .orderBy(APP.NAME)
        .fetch(r -> new AppRows(r.value1(), false, r.value2(), SpecCodec.fromJson(r.value3()), List.of()));
    List<String> all = heads.stream().filter(a -> a.spec().getPlacement().getAll()).map(AppRows::app).toList();
    List<String> counted = heads.stream().filter(a -> !a.spec().getPlacement().getAll()).map(AppRows::app).toList();
    Map<String, List<Row>> rows = tx.selectFrom(ASSIGNMENT)
        .where(ASSIGNMENT.APP.in(counted).or(ASSIGNMENT.APP.in(all).and(ASSIGNMENT.HOST.eq(host))))
        .orderBy(ASSIGNMENT.APP, ASSIGNMENT.HOST)
        .fetchGroups(ASSIGNMENT.APP, a -> new Row(a.getHost(), a.getRevision(), a.getDesired(),
            a.getReportedRevision(), a.getState(), a.getHealthy()));
    return heads.stream().map(a -> new AppRows(a.app(), false, a.revision(), a.spec(),
        rows.getOrDefault(a.app(), List.of()))).toList();
  }

  /** The hosts holding a desired row of one of {@code apps}, and {@code host}. */
  List<Candidate> holders(DSLContext tx, Collection<String> apps, String host) {
    return candidates.load(tx, HOST.NAME.eq(host).or(HOST.NAME.in(DSL.select(ASSIGNMENT.HOST).from(ASSIGNMENT)
        .where(ASSIGNMENT.APP.in(apps), ASSIGNMENT.DESIRED.isTrue()))));
  }

  /**
   * The live apps whose selector {@code labels} match, and the apps desired on {@code host}: the apps
   * whose placement a host joining (or changing its labels, or undrained) can change.
   */
  List<String> appsFor(DSLContext tx, String host, Map<String, String> labels) {
    Set<String> apps = new TreeSet<>(tx.select(APP.NAME)
        .from(APP)
        .join(REVISION).on(REVISION.APP.eq(APP.NAME), REVISION.REVISION_.eq(APP.CURRENT_REVISION))
        .where(APP.DELETED.isFalse(), DSL.condition(
            "{0}::jsonb @> coalesce(({1}::jsonb -> {2}::text) -> {3}::text, {4}::jsonb)",
            DSL.val(JsonColumns.labels(labels)), REVISION.SPEC, DSL.val("placement"), DSL.val("labels"),
            DSL.val("{}")))
        .fetch(APP.NAME));
    apps.addAll(tx.selectDistinct(ASSIGNMENT.APP).from(ASSIGNMENT)
        .where(ASSIGNMENT.HOST.eq(host), ASSIGNMENT.DESIRED.isTrue())
        .fetch(ASSIGNMENT.APP));
    return List.copyOf(apps);
  }

  /**
   * The hosts {@code apps} may run on or run on now (matching a live app's selector, or holding a row
   * of one of them), with the desired assignments of each.
   */
  FleetSlice slice(DSLContext tx, List<AppRows> apps) {
    List<String> selectors = apps.stream()
        .filter(a -> !a.deleted())
        .map(a -> JsonColumns.labels(a.spec().getPlacement().getLabelsMap()))
        .distinct()
        .toList();
    List<String> names = apps.stream().map(AppRows::app).toList();
    Condition which = HOST.NAME.in(DSL.select(ASSIGNMENT.HOST).from(ASSIGNMENT).where(ASSIGNMENT.APP.in(names)));
    if (!selectors.isEmpty()) {
      which = which.or(DSL.condition("{0}::jsonb @> any({1}::jsonb[])", HOST.LABELS,
          DSL.val(selectors.toArray(String[]::new))));
    }
    List<Candidate> hosts = candidates.load(tx, which);
    Map<String, Integer> load = tx.select(ASSIGNMENT.HOST, DSL.count())
        .from(ASSIGNMENT)
        .where(ASSIGNMENT.DESIRED.isTrue(), ASSIGNMENT.HOST.in(DSL.select(HOST.NAME).from(HOST).where(which)))
        .groupBy(ASSIGNMENT.HOST)
        .fetchMap(r -> r.value1(), r -> r.value2());
    return new FleetSlice(hosts, load);
  }

  /** The hosts matching {@code placement}'s selector, sorted by name. */
  List<Candidate> matching(DSLContext dsl, PlacementSpec placement) {
    return candidates.load(dsl, DSL.condition("{0}::jsonb @> {1}::jsonb", HOST.LABELS,
        DSL.val(JsonColumns.labels(placement.getLabelsMap()))));
  }
}
