package io.drover.server.store;

import static io.drover.server.store.db.Tables.APP;
import static io.drover.server.store.db.Tables.ASSIGNMENT;
import static io.drover.server.store.db.Tables.HOST;

import io.drover.api.v1.DrainHostResponse;
import io.drover.api.v1.DrainingApp;
import io.drover.server.changes.ChangeNotice;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drained hosts: the flag that takes a host out of placement, the progress of moving its apps away,
 * and the hand-over that lets a drained host's instance go once its replacements run healthy.
 */
public final class DrainStore {
  private static final Logger log = LoggerFactory.getLogger(DrainStore.class);

  private final Database db;
  private final PlacementWriter placement;

  DrainStore(Database db, PlacementWriter placement) {
    this.db = db;
    this.placement = placement;
  }

  /**
   * Drains (or undrains) the host and places again the apps that can move: on drain the apps the
   * host runs, on undrain every live app. Returns the drain's progress; empty when the host is unknown.
   */
  public Optional<DrainHostResponse> setDrained(String host, boolean drained) {
    Boolean now = db.dsl().select(HOST.DRAINED).from(HOST).where(HOST.NAME.eq(host)).fetchOne(HOST.DRAINED);
    if (now == null || now == drained) {
      // unknown, or already so: a repeated drain only reads its progress, without the placement lock
      return now == null ? Optional.empty() : progress(host);
    }
    boolean found = db.dsl().transactionResult(c -> {
      DSLContext tx = c.dsl();
      PlacementWriter.lock(tx);
      Boolean was = tx.select(HOST.DRAINED).from(HOST).where(HOST.NAME.eq(host)).forUpdate().fetchOne(HOST.DRAINED);
      if (was == null) {
        return false;
      }
      if (was == drained) {
        return true;
      }
      tx.update(HOST).set(HOST.DRAINED, drained).where(HOST.NAME.eq(host)).execute();
      List<String> apps = drained
          ? tx.selectDistinct(ASSIGNMENT.APP).from(ASSIGNMENT)
              .where(ASSIGNMENT.HOST.eq(host), ASSIGNMENT.DESIRED.isTrue()).fetch(ASSIGNMENT.APP)
          : tx.select(APP.NAME).from(APP).where(APP.DELETED.isFalse()).fetch(APP.NAME);
      Set<String> hosts = new HashSet<>(placement.place(tx, apps));
      hosts.add(host);
      ChangeNotice.of(hosts, apps).publish(tx);
      log.info("event={} host={} apps_placed_again={} hosts_changed={}", drained ? "host_drained" : "host_undrained",
          host, apps.size(), hosts.size());
      return true;
    });
    return found ? progress(host) : Optional.empty();
  }

  /**
   * Where the host's drain stands: the apps still desired on it, each with the other hosts of the app
   * that do not run healthy yet. Empty when the host is unknown.
   */
  public Optional<DrainHostResponse> progress(String host) {
    DSLContext dsl = db.dsl();
    Boolean drained = dsl.select(HOST.DRAINED).from(HOST).where(HOST.NAME.eq(host)).fetchOne(HOST.DRAINED);
    if (drained == null) {
      return Optional.empty();
    }
    List<String> apps = dsl.select(ASSIGNMENT.APP).from(ASSIGNMENT)
        .where(ASSIGNMENT.HOST.eq(host), ASSIGNMENT.DESIRED.isTrue())
        .orderBy(ASSIGNMENT.APP)
        .fetch(ASSIGNMENT.APP);
    Map<String, List<String>> waiting = dsl.selectFrom(ASSIGNMENT)
        .where(ASSIGNMENT.APP.in(apps), ASSIGNMENT.HOST.ne(host), ASSIGNMENT.DESIRED.isTrue())
        .orderBy(ASSIGNMENT.HOST)
        .fetch()
        .stream()
        .filter(a -> !("running".equals(a.getState()) && a.getHealthy()))
        .collect(Collectors.groupingBy(a -> a.getApp(),
            Collectors.mapping(a -> a.getHost() + " " + a.getState(), Collectors.toList())));
    DrainHostResponse.Builder out = DrainHostResponse.newBuilder().setHost(host).setDrained(drained);
    for (String app : apps) {
      List<String> on = waiting.getOrDefault(app, List.of());
      out.addApps(DrainingApp.newBuilder().setApp(app)
          .setWaitingFor(on.isEmpty() ? (drained ? "a replacement host" : "") : String.join(", ", on)));
    }
    return Optional.of(out.build());
  }

  /**
   * Places again those of {@code apps} (all, when null) that still run on a drained host, so the
   * host lets an instance go once its replacements run healthy. Fenced: the leader calls it.
   */
  public ChangeNotice handOver(Fence fence, Collection<String> apps) {
    var onDrained = ASSIGNMENT.DESIRED.isTrue()
        .and(ASSIGNMENT.HOST.in(DSL.select(HOST.NAME).from(HOST).where(HOST.DRAINED.isTrue())));
    var where = apps == null ? onDrained : onDrained.and(ASSIGNMENT.APP.in(apps));
    if (!db.dsl().fetchExists(ASSIGNMENT, where)) {
      return ChangeNotice.NONE;
    }
    return db.dsl().transactionResult(c -> {
      DSLContext tx = c.dsl();
      PlacementWriter.lock(tx);
      fence.check(tx);
      List<String> moving = tx.selectDistinct(ASSIGNMENT.APP).from(ASSIGNMENT).where(where).fetch(ASSIGNMENT.APP);
      Set<String> hosts = placement.place(tx, moving);
      if (hosts.isEmpty()) {
        return ChangeNotice.NONE;
      }
      log.info("event=drain_handed_over apps={} hosts_changed={}", moving, hosts.size());
      ChangeNotice notice = ChangeNotice.of(hosts, moving);
      notice.publish(tx);
      return notice;
    });
  }
}
