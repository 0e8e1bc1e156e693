package io.drover.server.operator;

import io.drover.server.changes.ChangeNotice;
import io.drover.server.changes.LatestOnlySender;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The watch streams of one kind (app status, rollout) open on this server, by app, and the push of a
 * fresh view to them when a notice touches their app.
 */
public final class StatusWatchers<T> {
  private final Map<String, Set<LatestOnlySender<T>>> byApp = new ConcurrentHashMap<>();
  private final Function<String, Optional<T>> read;

  /** @param read the current view of an app, empty when there is none */
  public StatusWatchers(Function<String, Optional<T>> read) {
    this.read = read;
  }

  void add(String app, LatestOnlySender<T> watcher) {
    byApp.computeIfAbsent(app, a -> ConcurrentHashMap.newKeySet()).add(watcher);
  }

  void remove(String app, LatestOnlySender<T> watcher) {
    byApp.computeIfPresent(app, (a, set) -> {
      set.remove(watcher);
      return set.isEmpty() ? null : set;
    });
  }

  /** Re-reads the status of each touched app someone watches here and sends it where it changed. */
  public void push(ChangeNotice notice) {
    for (String app : List.copyOf(byApp.keySet())) {
      if (!notice.touchesApp(app)) {
        continue;
      }
      Optional<T> status = read.apply(app);
      Set<LatestOnlySender<T>> watchers = byApp.getOrDefault(app, Set.of());
      status.ifPresent(s -> watchers.forEach(w -> w.offer(s)));
    }
  }

  public void closeAll(io.grpc.Status status) {
    byApp.values().forEach(set -> List.copyOf(set).forEach(w -> w.close(status)));
    byApp.clear();
  }
}
