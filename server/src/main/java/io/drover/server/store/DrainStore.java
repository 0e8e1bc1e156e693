package io.drover.server.store;

import static io.drover.server.store.db.Tables.ASSIGNMENT;
import static io.drover.server.store.db.Tables.HOST;

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
  private final FleetReader reader;
  private final PlacementWriter placement;

  DrainStore(Database db, FleetReader reader, PlacementWriter placement) {
    this.db = db;
    this.reader = reader;
    this.placement = placement;
  }

  /**
   * Where a host's drain stands.
   *
   * @param apps the apps still desired on the host, sorted by app: the drain is done when empty
   */
  public record DrainProgress(String host, boolean drained, List<DrainingApp> apps) {
    public DrainProgress {
      apps = List.copyOf(apps);
    }
  }

  /**
   * One app a drained host still runs.
   *
   * @param notHealthy the other hosts of the app that do not run it healthy yet, sorted by host
   */
  public record DrainingApp(String app, List<Replacement> notHealthy) {
    public DrainingApp {
      notHealthy = List.copyOf(notHealthy);
    }
  }

  /** Another host of the app and the state its agent reports. */
  public record Replacement(String host, String state) {}

  /**
   * Drains (or undrains) the host and places again the apps that can move: on drain the apps the
   * host runs, on undrain the live apps whose selector it matches. Returns the drain's progress;
   * empty when the host is unknown.
   */
  public Optional<DrainProgress> setDrained(String host, boolean drained) {
    Boolean now = db.dsl().select(HOST.DRAINED).from(HOST).where(HOST.NAME.eq(host)).fetchOne(HOST.DRAINED);
    if (now == null || now == drained) {
      // unknown, or already so: a repeated drain only reads its progress, without the placement lock
      return now == null ? Optional.empty() : progress(host);
    }
    boolean found = db.dsl().transactionResult(c -> {
      DSLContext tx = c.dsl();
      PlacementWriter.lock(tx);
      var was = tx.select(HOST.DRAINED, HOST.LABELS).from(HOST).where(HOST.NAME.eq(host)).forUpdate().fetchOne();
      if (was == null) {
        return false;
      }
      if (was.value1() == drained) {
        return true;
      }
      tx.update(HOST).set(HOST.DRAINED, drained).where(HOST.NAME.eq(host)).execute();
      List<String> apps = drained
          ? tx.selectDistinct(ASSIGNMENT.APP).from(ASSIGNMENT)
              .where(ASSIGNMENT.HOST.eq(host), ASSIGNMENT.DESIRED.isTrue()).fetch(ASSIGNMENT.APP)
          : reader.appsFor(tx, host, JsonColumns.labels(was.value2()));
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
  public Optional<DrainProgress> progress(String host) {
    DSLContext dsl = db.dsl();
    Boolean drained = dsl.select(HOST.DRAINED).from(HOST).where(HOST.NAME.eq(host)).fetchOne(HOST.DRAINED);
    if (drained == null) {
      return Optional.empty();
    }
    List<String> apps = dsl.select(ASSIGNMENT.APP).from(ASSIGNMENT)
        .where(ASSIGNMENT.HOST.eq(host), ASSIGNMENT.DESIRED.isTrue())
        .orderBy(ASSIGNMENT.APP)
        .fetch(ASSIGNMENT.APP);
    Map<String, List<Replacement>> waiting = dsl.selectFrom(ASSIGNMENT)
        .where(ASSIGNMENT.APP.in(apps), ASSIGNMENT.HOST.ne(host), ASSIGNMENT.DESIRED.isTrue())
        .orderBy(ASSIGNMENT.HOST)
        .fetch()
        .stream()
        .filter(a -> !("running".equals(a.getState()) && a.getHealthy()))
        .collect(Collectors.groupingBy(a -> a.getApp(),
            Collectors.mapping(a -> new Replacement(a.getHost(), a.getState()), Collectors.toList())));
    return Optional.of(new DrainProgress(host, drained,
        apps.stream().map(app -> new DrainingApp(app, waiting.getOrDefault(app, List.of()))).toList()));
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
