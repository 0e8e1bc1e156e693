package io.drover.server.store;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Writes what agents report of their apps into {@code app_sample}: request counts added to the
 * stored totals, resource figures replaced. One statement per batch, whatever its size: the rows
 * travel as arrays and are unnested in PostgreSQL.
 */
public final class SampleStore {
  private static final String UPSERT = """
      INSERT INTO app_sample (app, host, requests, upstream_errors, duration_buckets, duration_sum,
          cpu_seconds, rss_bytes, workers, restarts, updated_at)
      SELECT t.app, t.host, t.requests::bigint[], t.upstream_errors, t.duration_buckets::bigint[],
          t.duration_sum, t.cpu_seconds, t.rss_bytes, t.workers, t.restarts, ?::timestamptz
      FROM unnest(?::varchar[], ?::varchar[], ?::text[], ?::bigint[], ?::text[], ?::float8[], ?::float8[],
          ?::bigint[], ?::int[], ?::bigint[])
          AS t(app, host, requests, upstream_errors, duration_buckets, duration_sum, cpu_seconds, rss_bytes,
              workers, restarts)
      WHERE EXISTS (SELECT 1 FROM host WHERE host.name = t.host)
      ON CONFLICT (app, host) DO UPDATE SET
        requests = ARRAY(SELECT coalesce(x, 0) + coalesce(y, 0)
            FROM unnest(app_sample.requests, excluded.requests) WITH ORDINALITY AS z(x, y, i) ORDER BY i),
        upstream_errors = app_sample.upstream_errors + excluded.upstream_errors,
        duration_buckets = ARRAY(SELECT coalesce(x, 0) + coalesce(y, 0)
            FROM unnest(app_sample.duration_buckets, excluded.duration_buckets) WITH ORDINALITY AS z(x, y, i)
            ORDER BY i),
        duration_sum = app_sample.duration_sum + excluded.duration_sum,
        cpu_seconds = excluded.cpu_seconds,
        rss_bytes = excluded.rss_bytes,
        workers = excluded.workers,
        restarts = excluded.restarts,
        updated_at = excluded.updated_at
      """;

  private final Database db;
  private final Clock clock;

  SampleStore(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Adds {@code samples} (at most one per app and host), in one statement; a removed host's are dropped. */
  public void add(Collection<InstanceSample> samples) {
    if (samples.isEmpty()) {
      return;
    }
    db.dsl().execute(UPSERT,
        OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC),
        samples.stream().map(InstanceSample::app).toArray(String[]::new),
        samples.stream().map(InstanceSample::host).toArray(String[]::new),
        samples.stream().map(s -> literal(s.requests())).toArray(String[]::new),
        samples.stream().map(InstanceSample::upstreamErrors).toArray(Long[]::new),
        samples.stream().map(s -> literal(s.durationBuckets())).toArray(String[]::new),
        samples.stream().map(InstanceSample::durationSum).toArray(Double[]::new),
        samples.stream().map(InstanceSample::cpuSeconds).toArray(Double[]::new),
        samples.stream().map(InstanceSample::rssBytes).toArray(Long[]::new),
        samples.stream().map(InstanceSample::workers).toArray(Integer[]::new),
        samples.stream().map(InstanceSample::restarts).toArray(Long[]::new));
  }

  /** An array as PostgreSQL's text form reads it: {@code {1,2,3}}. */
  private static String literal(long[] values) {
    return Arrays.stream(values).mapToObj(Long::toString).collect(Collectors.joining(",", "{", "}"));
  }
}
