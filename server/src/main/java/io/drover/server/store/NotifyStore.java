package io.drover.server.store;

import static io.drover.server.store.db.Tables.NOTIFY_DELIVERY;
import static io.drover.server.store.db.Tables.NOTIFY_EVENT;
import static io.drover.server.store.db.Tables.NOTIFY_TARGET;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Webhooks, the events the leader records and their deliveries. The webhook's URL is stored only
 * sealed (it may carry a secret) and shown masked; an event is recorded once per dedupe key, with a
 * pending delivery to each webhook that asked for its kind.
 */
public final class NotifyStore {
  static final String PENDING = "pending";
  static final String SENT = "sent";
  static final String FAILED = "failed";

  private final Database db;
  private final Clock clock;

  NotifyStore(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** A webhook: its id, URL as shown (masked), the event kinds it gets, who added it and when. */
  public record Target(long id, String urlShown, List<String> events, String createdBy, Instant createdAt) {}

  /** A delivery that is due: where to (sealed URL), which event, and how many attempts it had. */
  public record Due(long eventId, long targetId, String urlSealed, NotifyEvent event, int attempts) {}

  /** One event's delivery to one webhook, as `drover notify log` shows it. */
  public record Delivery(NotifyEvent event, long eventId, long targetId, String urlShown, String state, int attempts,
      String lastError, Instant sentAt) {}

  public long addTarget(String urlSealed, String urlShown, List<String> events, String createdBy) {
    return db.dsl().insertInto(NOTIFY_TARGET)
        .set(NOTIFY_TARGET.URL_SEALED, urlSealed)
        .set(NOTIFY_TARGET.URL_SHOWN, urlShown)
        .set(NOTIFY_TARGET.EVENTS, String.join(",", events))
        .set(NOTIFY_TARGET.CREATED_BY, createdBy)
        .set(NOTIFY_TARGET.CREATED_AT, now())
        .returning(NOTIFY_TARGET.ID)
        .fetchOne(NOTIFY_TARGET.ID);
  }

  public List<Target> targets() {
    return db.dsl().selectFrom(NOTIFY_TARGET).orderBy(NOTIFY_TARGET.ID)
        .fetch(r -> new Target(r.getId(), r.getUrlShown(), Arrays.asList(r.getEvents().split(",")), r.getCreatedBy(),
            r.getCreatedAt().toInstant()));
  }

  /** Removes the webhook and its pending deliveries; false when there is none with {@code id}. */
  public boolean removeTarget(long id) {
    return db.dsl().deleteFrom(NOTIFY_TARGET).where(NOTIFY_TARGET.ID.eq(id)).execute() > 0;
  }

  /**
   * Records the events not recorded yet (by dedupe key), each with a pending delivery to every
   * webhook that asked for its kind; in one fenced transaction. Returns how many were new.
   */
  public int record(Collection<NotifyEvent> events, Fence fence) {
    if (events.isEmpty()) {
      return 0;
    }
    return db.dsl().transactionResult(c -> {
      DSLContext tx = c.dsl();
      fence.check(tx);
      int recorded = 0;
      for (NotifyEvent e : events) {
        Long id = tx.insertInto(NOTIFY_EVENT)
            .set(NOTIFY_EVENT.KIND, e.kind())
            .set(NOTIFY_EVENT.APP, e.app())
            .set(NOTIFY_EVENT.HOST, e.host())
            .set(NOTIFY_EVENT.TEXT, e.text())
            .set(NOTIFY_EVENT.DEDUPE_KEY, e.dedupeKey())
            .set(NOTIFY_EVENT.AT, OffsetDateTime.ofInstant(e.at(), ZoneOffset.UTC))
            .onConflict(NOTIFY_EVENT.DEDUPE_KEY).doNothing()
            .returning(NOTIFY_EVENT.ID)
            .fetchOptional(NOTIFY_EVENT.ID).orElse(null);
        if (id == null) {
          continue;
        }
        recorded++;
        tx.insertInto(NOTIFY_DELIVERY, NOTIFY_DELIVERY.EVENT_ID, NOTIFY_DELIVERY.TARGET_ID, NOTIFY_DELIVERY.STATE,
                NOTIFY_DELIVERY.NEXT_ATTEMPT_AT)
            .select(tx.select(DSL.val(id), NOTIFY_TARGET.ID, DSL.val(PENDING), DSL.val(now()))
                .from(NOTIFY_TARGET)
                .where(DSL.condition("{0} = any(string_to_array({1}, ','))", DSL.val(e.kind()), NOTIFY_TARGET.EVENTS)))
            .execute();
      }
      return recorded;
    });
  }

  /** The deliveries due now, oldest first, at most {@code limit}. */
  public List<Due> due(int limit) {
    return db.dsl().select(NOTIFY_DELIVERY.EVENT_ID, NOTIFY_DELIVERY.TARGET_ID, NOTIFY_TARGET.URL_SEALED,
            NOTIFY_DELIVERY.ATTEMPTS, NOTIFY_EVENT.KIND, NOTIFY_EVENT.APP, NOTIFY_EVENT.HOST, NOTIFY_EVENT.TEXT,
            NOTIFY_EVENT.AT, NOTIFY_EVENT.DEDUPE_KEY)
        .from(NOTIFY_DELIVERY)
        .join(NOTIFY_EVENT).on(NOTIFY_EVENT.ID.eq(NOTIFY_DELIVERY.EVENT_ID))
        .join(NOTIFY_TARGET).on(NOTIFY_TARGET.ID.eq(NOTIFY_DELIVERY.TARGET_ID))
        .where(NOTIFY_DELIVERY.STATE.eq(PENDING), NOTIFY_DELIVERY.NEXT_ATTEMPT_AT.le(now()))
        .orderBy(NOTIFY_DELIVERY.NEXT_ATTEMPT_AT, NOTIFY_DELIVERY.EVENT_ID)
        .limit(limit)
        .fetch(r -> new Due(r.value1(), r.value2(), r.value3(), new NotifyEvent(r.value5(), r.value6(), r.value7(),
            r.value8(), r.value9().toInstant(), r.value10()), r.value4()));
  }

  /** Marks a delivery sent, fenced (only the leader sends). */
  public void sent(long eventId, long targetId, int attempts, Fence fence) {
    finish(eventId, targetId, fence, SENT, attempts, "", now());
  }

  /** Records a failed attempt: tried again at {@code next}, or given up when {@code next} is null. */
  public void attemptFailed(long eventId, long targetId, int attempts, String error, Instant next, Fence fence) {
    if (next == null) {
      finish(eventId, targetId, fence, FAILED, attempts, error, null);
      return;
    }
    db.dsl().transaction(c -> {
      fence.check(c.dsl());
      c.dsl().update(NOTIFY_DELIVERY)
          .set(NOTIFY_DELIVERY.ATTEMPTS, attempts)
          .set(NOTIFY_DELIVERY.LAST_ERROR, error)
          .set(NOTIFY_DELIVERY.NEXT_ATTEMPT_AT, OffsetDateTime.ofInstant(next, ZoneOffset.UTC))
          .where(NOTIFY_DELIVERY.EVENT_ID.eq(eventId), NOTIFY_DELIVERY.TARGET_ID.eq(targetId))
          .execute();
    });
  }

  private void finish(long eventId, long targetId, Fence fence, String state, int attempts, String error,
      OffsetDateTime sentAt) {
    db.dsl().transaction(c -> {
      fence.check(c.dsl());
      c.dsl().update(NOTIFY_DELIVERY)
          .set(NOTIFY_DELIVERY.STATE, state)
          .set(NOTIFY_DELIVERY.ATTEMPTS, attempts)
          .set(NOTIFY_DELIVERY.LAST_ERROR, error)
          .set(NOTIFY_DELIVERY.SENT_AT, sentAt)
          .where(NOTIFY_DELIVERY.EVENT_ID.eq(eventId), NOTIFY_DELIVERY.TARGET_ID.eq(targetId))
          .execute();
    });
  }

  /** The latest deliveries, newest event first, at most {@code limit}. */
  public List<Delivery> log(int limit) {
    return db.dsl().select(NOTIFY_EVENT.fields()).select(NOTIFY_DELIVERY.fields()).select(NOTIFY_TARGET.URL_SHOWN)
        .from(NOTIFY_DELIVERY)
        .join(NOTIFY_EVENT).on(NOTIFY_EVENT.ID.eq(NOTIFY_DELIVERY.EVENT_ID))
        .join(NOTIFY_TARGET).on(NOTIFY_TARGET.ID.eq(NOTIFY_DELIVERY.TARGET_ID))
        .orderBy(NOTIFY_EVENT.ID.desc(), NOTIFY_DELIVERY.TARGET_ID)
        .limit(limit)
        .fetch(r -> new Delivery(
            new NotifyEvent(r.get(NOTIFY_EVENT.KIND), r.get(NOTIFY_EVENT.APP), r.get(NOTIFY_EVENT.HOST),
                r.get(NOTIFY_EVENT.TEXT), r.get(NOTIFY_EVENT.AT).toInstant(), r.get(NOTIFY_EVENT.DEDUPE_KEY)),
            r.get(NOTIFY_EVENT.ID), r.get(NOTIFY_DELIVERY.TARGET_ID), r.get(NOTIFY_TARGET.URL_SHOWN),
            r.get(NOTIFY_DELIVERY.STATE), r.get(NOTIFY_DELIVERY.ATTEMPTS), r.get(NOTIFY_DELIVERY.LAST_ERROR),
            r.get(NOTIFY_DELIVERY.SENT_AT) == null ? null : r.get(NOTIFY_DELIVERY.SENT_AT).toInstant()));
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
