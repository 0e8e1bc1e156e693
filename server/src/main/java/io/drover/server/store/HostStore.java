package io.drover.server.store;

import static io.drover.server.store.db.Tables.ASSIGNMENT;
import static io.drover.server.store.db.Tables.HOST;

import io.drover.api.v1.Hello;
import io.drover.api.v1.InstanceStatus;
import io.drover.server.changes.ChangeNotice;
import io.drover.server.placement.AppRows;
import io.drover.server.placement.HostJoin;
import io.drover.server.placement.Placement.Candidate;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hosts as their agents register them, and whether each is up. */
public final class HostStore {
  private static final Logger log = LoggerFactory.getLogger(HostStore.class);

  private final Database db;
  private final HostCandidates candidates;
  private final FleetReader reader;
  private final PlacementWriter placement;
  private final AssignmentStore assignments;
  private final Clock clock;

  HostStore(Database db, HostCandidates candidates, FleetReader reader, PlacementWriter placement,
      AssignmentStore assignments, Clock clock) {
    this.db = db;
    this.candidates = candidates;
    this.reader = reader;
    this.placement = placement;
    this.assignments = assignments;
    this.clock = clock;
  }

  /**
   * A host as listed.
   *
   * @param facts the facts its agent reported, as the proto3 JSON of {@code HostFacts}, kept as the
   *     agent sent them
   * @param up whether it counts as up: its agent's stream is open and it was heard from within the
   *     heartbeat TTL
   * @param instances how many apps are desired on it
   */
  public record HostRecord(String name, Map<String, String> labels, String facts, boolean up,
      OffsetDateTime lastSeen, int instances, boolean drained) {}

  /**
   * Registers the host of a Hello as up on the agent stream {@code session}: stores its labels and
   * facts, places the apps the host can change when it is new or its labels changed, and records the
   * instances the agent reports. Registrations run side by side (the placement lock is taken shared)
   * and read only what concerns the joining host: {@code HostJoin} decides its rows of {@code all}
   * apps; the few {@code count} apps it can change (too few hosts, or a row on it) are placed again
   * in a second transaction, as an apply would. Returns the notice the transactions published.
   */
  public ChangeNotice register(Hello hello, String session) {
    Registered registered = db.dsl().transactionResult(c -> {
      DSLContext tx = c.dsl();
      String host = hello.getHost();
      String labels = JsonColumns.labels(hello.getLabelsMap());
      OffsetDateTime now = OffsetDateTime.now(clock);
      // Shared, before any row lock: an apply placing concurrently either sees this host or is seen here.
      PlacementWriter.lockShared(tx);
      var existing = tx.select(HOST.LABELS).from(HOST).where(HOST.NAME.eq(host)).forUpdate().fetchOne();
      tx.insertInto(HOST)
          .set(HOST.NAME, host)
          .set(HOST.LABELS, labels)
          .set(HOST.FACTS, JsonColumns.facts(hello.getFacts()))
          .set(HOST.STATE, "up")
          .set(HOST.SESSION, session)
          .set(HOST.LAST_SEEN, now)
          .set(HOST.CREATED_AT, now)
          .onConflict(HOST.NAME)
          .doUpdate()
          .set(HOST.LABELS, labels)
          .set(HOST.FACTS, JsonColumns.facts(hello.getFacts()))
          .set(HOST.STATE, "up")
          .set(HOST.SESSION, session)
          .set(HOST.LAST_SEEN, now)
          .set(HOST.LOST, false)
          .execute();
      Set<String> hosts = new HashSet<>();
      Set<String> apps = new HashSet<>();
      List<String> placeAgain = List.of();
      if (existing == null || !existing.value1().equals(labels)) {
        List<String> touched = reader.appsFor(tx, host, hello.getLabelsMap());
        List<AppRows> rows = reader.forJoining(tx, touched, host);
        List<String> counted = rows.stream().filter(a -> !a.spec().getPlacement().getAll()).map(AppRows::app).toList();
        List<Candidate> holders = reader.holders(tx, counted, host);
        Candidate self = holders.stream().filter(h -> h.name().equals(host)).findFirst().orElseThrow();
        HostJoin.Decision decision = HostJoin.decide(self, rows, holders);
        hosts.addAll(placement.write(tx, decision.placed()));
        decision.placed().apps().forEach(a -> apps.add(a.app()));
        placeAgain = decision.placeAgain();
        log.info("event=host_registered host={} labels={} new={} apps={} placed_again={}", host, labels,
            existing == null, touched.size(), placeAgain);
      }
      for (InstanceStatus status : hello.getInstancesList()) {
        if (assignments.record(tx, host, status)) {
          apps.add(status.getApp());
        }
      }
      ChangeNotice notice = ChangeNotice.of(hosts, apps);
      notice.publish(tx);
      return new Registered(notice, placeAgain);
    });
    if (registered.placeAgain().isEmpty()) {
      return registered.notice();
    }
    return registered.notice().merge(db.dsl().transactionResult(c -> {
      DSLContext tx = c.dsl();
      Set<String> hosts = placement.place(tx, registered.placeAgain());
      ChangeNotice notice = ChangeNotice.of(hosts, registered.placeAgain());
      notice.publish(tx);
      return notice;
    }));
  }

  private record Registered(ChangeNotice notice, List<String> placeAgain) {}

  /** Marks the host down, unless a newer agent stream registered it since {@code session}. */
  public boolean markDown(String host, String session) {
    return markDown(host, session, null);
  }

  /**
   * Marks the host down, unless a newer agent stream registered it since {@code session}; {@code
   * lastHeard}, when the stream last carried anything from the agent (null: now), becomes its
   * last_seen if later, so the TTL and grace count from the host's last sign of life — not from
   * when a dead connection was noticed (a blackholed stream ends only when keepalive gives up).
   */
  public boolean markDown(String host, String session, Instant lastHeard) {
    OffsetDateTime heard = OffsetDateTime.ofInstant(lastHeard != null ? lastHeard : clock.instant(), ZoneOffset.UTC);
    return db.dsl().update(HOST)
        .set(HOST.STATE, "down")
        .set(HOST.LAST_SEEN, DSL.greatest(HOST.LAST_SEEN, DSL.val(heard)))
        .where(HOST.NAME.eq(host), HOST.SESSION.eq(session))
        .execute() > 0;
  }


  /**
   * The leader's liveness check: marks down the hosts "up" but not heard from within the heartbeat
   * TTL (their server died), and once a host has been down for the TTL plus the grace period, places
   * the apps it had again, so {@code count} apps get a replacement on another host. Silence before
   * {@code watchingSince} (when this server started leading) counts towards neither. One fenced
   * transaction; returns the notice it published.
   */
  public ChangeNotice sweep(Fence fence, Instant watchingSince) {
    return db.dsl().transactionResult(c -> {
      DSLContext tx = c.dsl();
      PlacementWriter.lock(tx);
      fence.check(tx);
      // a host is down only after it stayed silent for the TTL while a leader watched, and lost only
      // after TTL + grace: a server that was down (or just took over, or could not reach the
      // database) must not count that time against hosts yet to reconnect or heartbeat again
      OffsetDateTime staleBefore = candidates.staleBefore();
      List<String> stale = watchingSince.isAfter(staleBefore.toInstant()) ? List.of() : tx.update(HOST)
          .set(HOST.STATE, "down")
          .where(HOST.STATE.eq("up"), HOST.LAST_SEEN.lt(staleBefore))
          .returning(HOST.NAME)
          .fetch(HOST.NAME);
      OffsetDateTime lostBefore = candidates.lostBefore();
      List<String> lost = watchingSince.isAfter(lostBefore.toInstant()) ? List.of() : tx.update(HOST)
          .set(HOST.LOST, true)
          .where(HOST.LOST.isFalse(), HOST.LAST_SEEN.lt(lostBefore))
          .returning(HOST.NAME)
          .fetch(HOST.NAME);
      if (!stale.isEmpty()) {
        log.info("event=hosts_down reason=no_heartbeat count={} hosts={}", stale.size(), LogSample.of(stale));
      }
      if (lost.isEmpty()) {
        return ChangeNotice.NONE;
      }
      List<String> apps = tx.selectDistinct(ASSIGNMENT.APP).from(ASSIGNMENT)
          .where(ASSIGNMENT.HOST.eq(DSL.any(lost.toArray(String[]::new))), ASSIGNMENT.DESIRED.isTrue())
          .fetch(ASSIGNMENT.APP);
      Set<String> hosts = placement.place(tx, apps);
      log.info("event=hosts_lost count={} hosts={} apps_placed_again={} hosts_changed={}", lost.size(),
          LogSample.of(lost), LogSample.of(apps), hosts.size());
      ChangeNotice notice = ChangeNotice.of(hosts, apps);
      notice.publish(tx);
      return notice;
    });
  }

  /** What removing a host did. */
  public record Removal(boolean known, int certificatesRevoked, ChangeNotice notice) {}

  /**
   * Removes {@code host}: revokes its certificates (so its agent can no longer call in), forgets the
   * host and its assignments, and places its apps again. One transaction; the notice it publishes
   * makes every server close the host's open stream.
   */
  public Removal remove(String host) {
    return db.dsl().transactionResult(c -> {
      DSLContext tx = c.dsl();
      PlacementWriter.lock(tx);
      int revoked = CertificateStore.revokeHost(tx, host, OffsetDateTime.now(clock));
      List<String> apps = tx.selectDistinct(ASSIGNMENT.APP).from(ASSIGNMENT).where(ASSIGNMENT.HOST.eq(host))
          .fetch(ASSIGNMENT.APP);
      tx.deleteFrom(ASSIGNMENT).where(ASSIGNMENT.HOST.eq(host)).execute();
      boolean known = tx.deleteFrom(HOST).where(HOST.NAME.eq(host)).execute() > 0;
      Set<String> hosts = new HashSet<>(placement.place(tx, apps));
      hosts.add(host);
      ChangeNotice notice = ChangeNotice.of(hosts, apps);
      notice.publish(tx);
      log.info("event=host_removed host={} certificates_revoked={} apps_placed_again={}", host, revoked, apps);
      return new Removal(known || revoked > 0, revoked, notice);
    });
  }

  /** The most hosts one heartbeat statement names; larger flushes are written in several. */
  public static final int HEARTBEAT_BATCH = 1000;

  /**
   * Records heartbeats: each host heard from on its agent stream {@code session} (host name to
   * session) gets last_seen now and is up again if a sweep had marked it down while the stream stayed
   * open (e.g. when heartbeats could not be written during a database outage). A session a newer
   * stream replaced changes nothing. Written in statements of at most {@link #HEARTBEAT_BATCH} hosts,
   * each passing the names and sessions as two array parameters, so the statement's size does not
   * grow with the fleet. Returns how many hosts were updated.
   */
  public int touch(Map<String, String> sessions) {
    if (sessions.isEmpty()) {
      return 0;
    }
    OffsetDateTime now = OffsetDateTime.now(clock);
    List<Map.Entry<String, String>> heard = List.copyOf(sessions.entrySet());
    int updated = 0;
    for (int from = 0; from < heard.size(); from += HEARTBEAT_BATCH) {
      List<Map.Entry<String, String>> batch = heard.subList(from, Math.min(heard.size(), from + HEARTBEAT_BATCH));
      String[] names = batch.stream().map(Map.Entry::getKey).toArray(String[]::new);
      String[] ids = batch.stream().map(Map.Entry::getValue).toArray(String[]::new);
      Table<?> beats = DSL.table("unnest({0}::text[], {1}::text[]) as beat(name, session)",
          DSL.val(names), DSL.val(ids));
      updated += db.dsl().update(HOST)
          .set(HOST.LAST_SEEN, now)
          .set(HOST.STATE, "up")
          .from(beats)
          .where(HOST.NAME.eq(DSL.field(DSL.name("beat", "name"), String.class)),
              HOST.SESSION.eq(DSL.field(DSL.name("beat", "session"), String.class)))
          .execute();
    }
    return updated;
  }

  /** Every host, sorted by name, with the number of its desired assignments. */
  public List<HostRecord> list() {
    Map<String, Integer> counts = db.dsl().select(ASSIGNMENT.HOST, DSL.count())
        .from(ASSIGNMENT)
        .where(ASSIGNMENT.DESIRED.isTrue())
        .groupBy(ASSIGNMENT.HOST)
        .fetchMap(r -> r.value1(), r -> r.value2());
    return db.dsl().selectFrom(HOST).orderBy(HOST.NAME).fetch(r -> new HostRecord(r.getName(),
        JsonColumns.labels(r.getLabels()), r.getFacts(), candidates.up(r.getState(), r.getLastSeen()),
        r.getLastSeen(), counts.getOrDefault(r.getName(), 0), r.getDrained()));
  }
}
