package io.drover.server.operator;

import io.drover.api.v1.AppStatus;
import io.drover.server.changes.ChangeNotice;
import io.drover.server.changes.LatestOnlySender;
import io.drover.server.store.AppStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The WatchAppStatus streams open on this server, by app, and the push of fresh status to them. */
public final class StatusWatchers {
  private final Map<String, Set<LatestOnlySender<AppStatus>>> byApp = new ConcurrentHashMap<>();
  private final AppStore apps;

  public StatusWatchers(AppStore apps) {
    this.apps = apps;
  }

  void add(String app, LatestOnlySender<AppStatus> watcher) {
    byApp.computeIfAbsent(app, a -> ConcurrentHashMap.newKeySet()).add(watcher);
  }

  void remove(String app, LatestOnlySender<AppStatus> watcher) {
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
      Optional<AppStatus> status = apps.status(app);
      Set<LatestOnlySender<AppStatus>> watchers = byApp.getOrDefault(app, Set.of());
      status.ifPresent(s -> watchers.forEach(w -> w.offer(s)));
    }
  }

  public void closeAll(io.grpc.Status status) {
    byApp.values().forEach(set -> List.copyOf(set).forEach(w -> w.close(status)));
    byApp.clear();
  }
}
