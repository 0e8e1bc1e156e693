package io.drover.agent.metrics;

import io.drover.agent.state.RunningInstance;
import io.drover.agent.supervisor.Supervisor;
import io.drover.api.v1.AppMetrics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Samples each running app: RSS and CPU seconds of its Gunicorn master and workers, and how often its
 * master was restarted (its pid changed) while it should have been running.
 */
public final class AppMetricsSampler {
  private final Supervisor supervisor;
  private final Map<String, Long> lastPid = new HashMap<>();
  private final Map<String, Long> restarts = new HashMap<>();
  /** A lock, not a monitor: a sample waits on supervisord, which must not pin a virtual thread's carrier. */
  private final ReentrantLock lock = new ReentrantLock();

  public AppMetricsSampler(Supervisor supervisor) {
    this.supervisor = supervisor;
  }

  public List<AppMetrics> sample(Collection<RunningInstance> running) {
    lock.lock();
    try {
      return sampleLocked(running);
    } finally {
      lock.unlock();
    }
  }

  private List<AppMetrics> sampleLocked(Collection<RunningInstance> running) {
    List<AppMetrics> apps = new ArrayList<>();
    Map<String, Long> seen = new HashMap<>();
    for (RunningInstance i : running) {
      long pid = supervisor.pid(i.program());
      Long before = lastPid.get(i.program());
      if (pid > 0 && before != null && before != pid) {
        restarts.merge(i.program(), 1L, Long::sum);
      }
      seen.put(i.program(), pid > 0 || before == null ? pid : before);
      ProcessTree.Usage usage = pid > 0 ? ProcessTree.of(pid) : new ProcessTree.Usage(0, 0);
      apps.add(AppMetrics.newBuilder()
          .setApp(i.app())
          .setRevision(i.revision())
          .setRssBytes(usage.rssBytes())
          .setCpuSeconds(usage.cpuSeconds())
          .setRestarts(restarts.getOrDefault(i.program(), 0L))
          .build());
    }
    lastPid.keySet().retainAll(seen.keySet());
    restarts.keySet().retainAll(seen.keySet());
    lastPid.putAll(seen);
    lastPid.values().removeIf(p -> p == 0);
    return apps;
  }
}
