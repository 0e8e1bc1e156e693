package io.drover.server.notify;

import com.google.gson.JsonObject;
import io.drover.server.leader.Leadership;
import io.drover.server.secrets.SecretBox;
import io.drover.server.store.FleetFigures;
import io.drover.server.store.NotifyEvent;
import io.drover.server.store.NotifyStore;
import io.drover.server.store.NotifyStore.Due;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's notifications: records the events each read of the fleet's figures shows, and POSTs
 * each due delivery to its webhook as JSON ({@code event}, {@code app}, {@code host}, {@code at} and a
 * {@code text} chat webhooks show), retrying with capped backoff. Only the leader records and sends,
 * so with several servers each event goes out once (a leader change may repeat a delivery that was
 * in flight). Its own thread: a slow webhook delays nothing else.
 */
public final class Notifier implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Notifier.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int BATCH = 50;

  private final NotifyStore store;
  private final Leadership leadership;
  private final SecretBox box;
  private final Clock clock;
  private final Duration backoff;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final EventDetector detector = new EventDetector();
  private final ScheduledExecutorService sender =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("drover-notify").daemon().factory());
  private boolean leading;

  /** @param backoff the wait after a first failed attempt, doubled after each next one */
  public Notifier(NotifyStore store, Leadership leadership, SecretBox box, Clock clock, Duration backoff,
      Duration poll) {
    this.store = store;
    this.leadership = leadership;
    this.box = box;
    this.clock = clock;
    this.backoff = backoff;
    sender.scheduleWithFixedDelay(this::deliverDue, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Takes a read of the fleet's figures: on the leader, records the events it shows. */
  public synchronized void onFigures(FleetFigures figures) {
    if (!leadership.isLeader()) {
      leading = false;
      return;
    }
    if (!leading) {
      leading = true;
      detector.reset(); // what changed while another server led is judged afresh
    }
    List<NotifyEvent> events = detector.next(figures, clock.instant());
    int recorded = store.record(events, leadership.fence());
    if (recorded > 0) {
      log.info("event=notify_events_recorded count={}", recorded);
    }
  }

  /** Sends the deliveries that are due, on the leader. */
  void deliverDue() {
    if (!leadership.isLeader()) {
      return;
    }
    try {
      for (Due due : store.due(BATCH)) {
        deliver(due);
      }
    } catch (RuntimeException e) {
      log.warn("event=notify_delivery_pass_failed error={}", e.toString());
    }
  }

  private void deliver(Due due) {
    int attempt = due.attempts() + 1;
    String error;
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(Webhooks.open(box, due.urlSealed())))
          .timeout(TIMEOUT)
          .header("Content-Type", "application/json")
          .header("User-Agent", "drover-server")
          .POST(HttpRequest.BodyPublishers.ofString(body(due.event())))
          .build(), HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() / 100 == 2) {
        store.sent(due.eventId(), due.targetId(), attempt, leadership.fence());
        log.info("event=notify_sent kind={} webhook={} attempts={}", due.event().kind(), due.targetId(), attempt);
        return;
      }
      error = "the webhook answered HTTP " + response.statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (Exception e) {
      error = "cannot reach the webhook: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage());
    }
    Duration wait = Webhooks.backoff(attempt, backoff);
    store.attemptFailed(due.eventId(), due.targetId(), attempt, error, wait == null ? null : clock.instant().plus(wait),
        leadership.fence());
    log.warn("event=notify_attempt_failed kind={} webhook={} attempts={} error={} {}", due.event().kind(),
        due.targetId(), attempt, error, wait == null ? "giving_up" : "retry_in=" + wait.toMillis() + "ms");
  }

  static String body(NotifyEvent event) {
    JsonObject json = new JsonObject();
    json.addProperty("event", event.kind());
    json.addProperty("app", event.app());
    json.addProperty("host", event.host());
    json.addProperty("at", event.at().toString());
    json.addProperty("text", event.text());
    return json.toString();
  }

  @Override
  public void close() {
    sender.shutdownNow();
    try {
      sender.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
