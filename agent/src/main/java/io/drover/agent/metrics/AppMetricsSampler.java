package io.drover.agent.metrics;

import io.drover.agent.health.HttpProbe;
import io.drover.agent.state.RunningInstance;
import io.drover.agent.supervisor.Supervisor;
import io.drover.api.v1.AppMetrics;
import io.drover.api.v1.RequestCounts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples each running app: RSS and CPU seconds of its Gunicorn master and workers, its workers, how
 * often its master was restarted (its pid changed) while it should have been running, and the
 * requests nginx answered for it since the previous sample (read incrementally from its access log;
 * the agent's own checks left out): from where the logs ended when the agent started (what they held
 * was counted before, or by nobody), or from the start of a log made since; an app that stops
 * running and comes back resumes where its counting stopped.
 */
public final class AppMetricsSampler {
  private static final Logger log = LoggerFactory.getLogger(AppMetricsSampler.class);

  private final Supervisor supervisor;
  private final Function<String, Path> accessLogOf;
  private final Map<String, Long> lastPid = new HashMap<>();
  private final Map<String, Long> restarts = new HashMap<>();
  private final Map<String, AccessLogFollower> accessLogs = new HashMap<>();
  /** Per app not followed now, where counting its log stopped (at start: where each log ended). */
  private final Map<String, AccessLogFollower.Mark> stopped = new HashMap<>();
  /** A lock, not a monitor: a sample waits on supervisord, which must not pin a virtual thread's carrier. */
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * @param accessLogOf the nginx access log of an app
   * @param appsWithLogs the apps whose logs are on the host now: what they hold is not counted
   */
  public AppMetricsSampler(Supervisor supervisor, Function<String, Path> accessLogOf, Collection<String> appsWithLogs) {
    this.supervisor = supervisor;
    this.accessLogOf = accessLogOf;
    for (String app : appsWithLogs) {
      AccessLogFollower.Mark end = AccessLogFollower.endOf(accessLogOf.apply(app));
      if (end != null) {
        stopped.put(app, end);
      }
    }
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
    Set<String> counted = new HashSet<>();
    for (RunningInstance i : running) {
      long pid = supervisor.pid(i.program());
      Long before = lastPid.get(i.program());
      if (pid > 0 && before != null && before != pid) {
        restarts.merge(i.program(), 1L, Long::sum);
      }
      seen.put(i.program(), pid > 0 || before == null ? pid : before);
      ProcessTree.Usage usage = pid > 0 ? ProcessTree.of(pid) : new ProcessTree.Usage(0, 0, 0);
      AppMetrics.Builder app = AppMetrics.newBuilder()
          .setApp(i.app())
          .setRevision(i.revision())
          .setRssBytes(usage.rssBytes())
          .setCpuSeconds(usage.cpuSeconds())
          .setWorkers(Math.max(0, usage.processes() - 1))
          .setRestarts(restarts.getOrDefault(i.program(), 0L));
      if (counted.add(i.app())) { // one access log per app, whichever instances serve it
        app.setRequests(requests(i.app()));
      }
      apps.add(app.build());
    }
    accessLogs.entrySet().removeIf(e -> {
      if (counted.contains(e.getKey())) {
        return false;
      }
      AccessLogFollower.Mark mark = e.getValue().mark();
      if (mark != null) {
        stopped.put(e.getKey(), mark);
      }
      closeQuietly(e.getValue());
      return true;
    });
    lastPid.keySet().retainAll(seen.keySet());
    restarts.keySet().retainAll(seen.keySet());
    lastPid.putAll(seen);
    lastPid.values().removeIf(p -> p == 0);
    return apps;
  }

  private RequestCounts requests(String app) {
    AccessLogFollower follower =
        accessLogs.computeIfAbsent(app, a -> new AccessLogFollower(accessLogOf.apply(a), stopped.remove(a)));
    RequestTally tally = new RequestTally();
    try {
      follower.readNew(line -> AccessLine.parse(line)
          .filter(l -> !l.userAgent().equals(HttpProbe.USER_AGENT))
          .ifPresent(tally::add));
    } catch (IOException e) {
      log.warn("event=access_log_unreadable app={} error={}", app, e.toString());
    }
    return tally.drain();
  }

  private static void closeQuietly(AccessLogFollower follower) {
    try {
      follower.close();
    } catch (IOException e) {
      log.debug("event=access_log_close_failed error={}", e.toString());
    }
  }
}
