package io.drover.server.store;

import static io.drover.server.store.db.Tables.APP;
import static io.drover.server.store.db.Tables.APP_SAMPLE;
import static io.drover.server.store.db.Tables.ASSIGNMENT;
import static io.drover.server.store.db.Tables.HOST;
import static io.drover.server.store.db.Tables.ROLLOUT;

import io.drover.server.store.FleetFigures.HostMark;
import io.drover.server.store.FleetFigures.RolloutMark;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Reads {@link FleetFigures}: five queries whatever the fleet's size, so every server can
 * export the whole fleet's figures (each holds only its own agents' streams).
 */
public final class FiguresStore {
  private final Database db;

  FiguresStore(Database db) {
    this.db = db;
  }

  /** The fleet's figures now, read in one transaction. */
  public FleetFigures read() {
    return db.dsl().transactionResult(c -> {
      DSLContext tx = c.dsl();
      Map<String, HostMark> hosts = new TreeMap<>();
      tx.select(HOST.NAME, HOST.STATE, HOST.LAST_SEEN, HOST.SESSION).from(HOST)
          .forEach(r -> hosts.put(r.value1(), new HostMark("up".equals(r.value2()), r.value3().toInstant(), r.value4())));
      Map<String, Map<String, Integer>> instances = new HashMap<>();
      Map<String, Integer> healthy = new HashMap<>();
      var count = DSL.count();
      var healthyCount = DSL.count().filterWhere(ASSIGNMENT.HEALTHY.isTrue());
      tx.select(ASSIGNMENT.APP, ASSIGNMENT.STATE, count, healthyCount)
          .from(ASSIGNMENT)
          .join(APP).on(APP.NAME.eq(ASSIGNMENT.APP))
          .where(ASSIGNMENT.DESIRED.isTrue(), APP.DELETED.isFalse())
          .groupBy(ASSIGNMENT.APP, ASSIGNMENT.STATE)
          .forEach(r -> {
            instances.computeIfAbsent(r.value1(), a -> new TreeMap<>()).put(r.value2(), r.value3());
            healthy.merge(r.value1(), r.value4(), Integer::sum);
          });
      Map<String, RolloutMark> rollouts = new TreeMap<>();
      tx.selectDistinct(ROLLOUT.APP, ROLLOUT.STATE, ROLLOUT.REVISION, ROLLOUT.STARTED_AT)
          .on(ROLLOUT.APP)
          .from(ROLLOUT)
          .join(APP).on(APP.NAME.eq(ROLLOUT.APP))
          .where(APP.DELETED.isFalse())
          .orderBy(ROLLOUT.APP, ROLLOUT.REVISION.desc(), ROLLOUT.STARTED_AT.desc())
          .forEach(r -> rollouts.put(r.value1(), new RolloutMark(r.value2(), r.value3(), r.value4().toInstant())));
      // an instance's sample is shown while the app is assigned to the host (so its series go with it)
      List<InstanceSample> samples = tx.select(APP_SAMPLE.fields()).from(APP_SAMPLE)
          .join(ASSIGNMENT).on(ASSIGNMENT.APP.eq(APP_SAMPLE.APP), ASSIGNMENT.HOST.eq(APP_SAMPLE.HOST))
          .join(APP).on(APP.NAME.eq(APP_SAMPLE.APP))
          .where(APP.DELETED.isFalse())
          .orderBy(APP_SAMPLE.APP, APP_SAMPLE.HOST)
          .fetch(r -> new InstanceSample(r.get(APP_SAMPLE.APP), r.get(APP_SAMPLE.HOST),
              longs(r.get(APP_SAMPLE.REQUESTS)), r.get(APP_SAMPLE.UPSTREAM_ERRORS),
              longs(r.get(APP_SAMPLE.DURATION_BUCKETS)), r.get(APP_SAMPLE.DURATION_SUM),
              r.get(APP_SAMPLE.CPU_SECONDS), r.get(APP_SAMPLE.RSS_BYTES), r.get(APP_SAMPLE.WORKERS),
              r.get(APP_SAMPLE.RESTARTS)));
      Map<String, Integer> versions = new TreeMap<>();
      var version = DSL.coalesce(DSL.field("{0}::jsonb ->> 'agentVersion'", String.class, HOST.FACTS), DSL.inline("unknown"));
      tx.select(version, DSL.count()).from(HOST).groupBy(version)
          .forEach(r -> versions.put(r.value1(), r.value2()));
      return new FleetFigures(hosts, instances, healthy, rollouts, samples, versions);
    });
  }

  private static long[] longs(Long[] values) {
    return Stream.of(values).mapToLong(v -> v == null ? 0 : v).toArray();
  }
}
