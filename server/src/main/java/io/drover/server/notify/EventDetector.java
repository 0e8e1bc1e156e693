package io.drover.server.notify;

import io.drover.server.store.FleetFigures;
import io.drover.server.store.FleetFigures.HostMark;
import io.drover.server.store.FleetFigures.RolloutMark;
import io.drover.server.store.InstanceSample;
import io.drover.server.store.NotifyEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the events in successive reads of the fleet's figures: a rollout that ended failed or
 * reverted (within the last {@link #RECENT_ROLLOUT}), a host gone down or back up, an app restarted
 * {@link #CRASH_RESTARTS} times within {@link #CRASH_WINDOW} on a host. Each event carries a key that
 * names its occurrence, so that recording it twice (a new leader reading the same state) keeps one.
 * Pure but for the memory of the previous read; not thread-safe.
 */
public final class EventDetector {
  static final Duration RECENT_ROLLOUT = Duration.ofHours(6);
  static final Duration CRASH_WINDOW = Duration.ofMinutes(15);
  static final int CRASH_RESTARTS = 3;

  private FleetFigures previous;
  private final Map<String, Deque<Restarts>> restarts = new HashMap<>();

  private record Restarts(Instant at, long count) {}

  /** Forgets the previous read: the next one is judged as if it were the first. */
  public void reset() {
    previous = null;
    restarts.clear();
  }

  /** The events between the previous read and {@code now}'s, read at {@code at}. */
  public List<NotifyEvent> next(FleetFigures now, Instant at) {
    List<NotifyEvent> events = new ArrayList<>();
    now.lastRollout().forEach((app, rollout) -> rolloutEvent(app, rollout, at).ifPresent(events::add));
    now.hosts().forEach((host, mark) -> hostEvent(host, mark, at, events));
    crashLoops(now.samples(), at, events);
    previous = now;
    return events;
  }

  private static Optional<NotifyEvent> rolloutEvent(String app, RolloutMark rollout, Instant at) {
    String kind = switch (rollout.state()) {
      case "failed" -> NotifyEvent.ROLLOUT_FAILED;
      case "reverted" -> NotifyEvent.ROLLOUT_REVERTED;
      default -> null;
    };
    if (kind == null || rollout.startedAt().isBefore(at.minus(RECENT_ROLLOUT))) {
      return Optional.empty();
    }
    String text = kind.equals(NotifyEvent.ROLLOUT_FAILED)
        ? "Rollout of " + app + " revision " + rollout.revision() + " failed"
        : "Rollout of " + app + " revision " + rollout.revision() + " failed and was reverted";
    return Optional.of(new NotifyEvent(kind, app, "", text, at,
        kind + ":" + app + ":" + rollout.revision() + ":" + rollout.startedAt().toEpochMilli()));
  }

  private void hostEvent(String host, HostMark mark, Instant at, List<NotifyEvent> events) {
    HostMark before = previous == null ? null : previous.hosts().get(host);
    if (!mark.up() && (before == null || before.up())) {
      // down since its last heartbeat: that moment names this outage
      events.add(new NotifyEvent(NotifyEvent.HOST_DOWN, "", host, "Host " + host + " is down (last heard "
          + mark.lastSeen() + ")", at, NotifyEvent.HOST_DOWN + ":" + host + ":" + mark.lastSeen().toEpochMilli()));
    } else if (mark.up() && before != null && !before.up()) {
      events.add(new NotifyEvent(NotifyEvent.HOST_UP, "", host, "Host " + host + " is up again", at,
          NotifyEvent.HOST_UP + ":" + host + ":" + mark.session()));
    }
  }

  private void crashLoops(List<InstanceSample> samples, Instant at, List<NotifyEvent> events) {
    Set<String> seen = new HashSet<>();
    for (InstanceSample s : samples) {
      String instance = s.app() + "\n" + s.host();
      seen.add(instance);
      Deque<Restarts> history = restarts.computeIfAbsent(instance, k -> new ArrayDeque<>());
      if (!history.isEmpty() && s.restarts() < history.peekLast().count()) {
        history.clear(); // counted anew (the agent restarted)
      }
      history.addLast(new Restarts(at, s.restarts()));
      while (history.size() > 1 && history.peekFirst().at().isBefore(at.minus(CRASH_WINDOW))) {
        history.removeFirst();
      }
      long within = s.restarts() - history.peekFirst().count();
      if (within >= CRASH_RESTARTS) {
        long bucket = at.getEpochSecond() / CRASH_WINDOW.toSeconds();
        events.add(new NotifyEvent(NotifyEvent.CRASH_LOOP, s.app(), s.host(), "Gunicorn of " + s.app() + " on "
            + s.host() + " restarted " + within + " times within " + CRASH_WINDOW.toMinutes() + " minutes", at,
            NotifyEvent.CRASH_LOOP + ":" + s.app() + ":" + s.host() + ":" + bucket));
      }
    }
    restarts.keySet().retainAll(seen);
  }
}
