package io.drover.server.operator;

import io.drover.server.changes.ChangeNotice;
import io.drover.server.changes.LatestOnlySender;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * The watch streams of one kind (app status, rollout, drain) open on this server, by what they
 * watch (an app, a host), and the push of a fresh view to them when a notice touches it.
 */
public final class StatusWatchers<T> {
  private final Map<String, Set<LatestOnlySender<T>>> byKey = new ConcurrentHashMap<>();
  private final Function<String, Optional<T>> read;
  private final BiPredicate<ChangeNotice, String> touches;

  /** Watchers of an app's view. @param read the current view of an app, empty when there is none */
  public StatusWatchers(Function<String, Optional<T>> read) {
    this(read, (notice, app) -> notice.touchesApp(app));
  }

  /**
   * @param read the current view of a key, empty when there is none
   * @param touches whether a notice may change the view of a key
   */
  public StatusWatchers(Function<String, Optional<T>> read, BiPredicate<ChangeNotice, String> touches) {
    this.read = read;
    this.touches = touches;
  }

  /**
   * Watchers of a host's drain. Its progress changes with the host's assignments and with the
   * instances of its apps on other hosts (notices of those apps), so any app notice counts.
   */
  public static <T> StatusWatchers<T> ofDrains(Function<String, Optional<T>> read) {
    return new StatusWatchers<>(read,
        (notice, host) -> notice.touchesHost(host) || notice.allApps() || !notice.apps().isEmpty());
  }

  void add(String key, LatestOnlySender<T> watcher) {
    byKey.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(watcher);
  }

  void remove(String key, LatestOnlySender<T> watcher) {
    byKey.computeIfPresent(key, (k, set) -> {
      set.remove(watcher);
      return set.isEmpty() ? null : set;
    });
  }

  /** Re-reads the view of each touched key someone watches here and sends it where it changed. */
  public void push(ChangeNotice notice) {
    for (String key : List.copyOf(byKey.keySet())) {
      if (!touches.test(notice, key)) {
        continue;
      }
      Optional<T> status = read.apply(key);
      Set<LatestOnlySender<T>> watchers = byKey.getOrDefault(key, Set.of());
      status.ifPresent(s -> watchers.forEach(w -> w.offer(s)));
    }
  }

  public void closeAll(io.grpc.Status status) {
    byKey.values().forEach(set -> List.copyOf(set).forEach(w -> w.close(status)));
    byKey.clear();
  }
}
