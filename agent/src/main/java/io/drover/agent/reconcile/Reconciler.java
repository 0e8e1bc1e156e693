package io.drover.agent.reconcile;

import io.drover.agent.bundle.BundleStore;
import io.drover.agent.health.HealthMonitor;
import io.drover.agent.host.AppUsers;
import io.drover.agent.nginx.Nginx;
import io.drover.agent.nginx.SiteCertificates;
import io.drover.agent.state.LocalState;
import io.drover.agent.state.RunningInstance;
import io.drover.agent.supervisor.Supervisor;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.Assignment;
import io.drover.api.v1.Assignments;
import io.drover.api.v1.InstanceState;
import io.drover.api.v1.InstanceStatus;
import io.drover.spec.SpecRules;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the host match the latest assignments, on one thread (the reconcile thread). Assignments that
 * arrive while it works are coalesced: the next pass uses only the newest set. Each pass saves the
 * set when it came from the server, plans with {@link Diff} and runs the actions, saving the running
 * instances after each. Everything here may block on the host; nothing else waits for it.
 */
public final class Reconciler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  private final LocalState state;
  private final Deployer deployer;
  private final Supervisor supervisor;
  private final HealthMonitor health;
  private final StatusReporter status;
  private final AtomicReference<Desired> pending = new AtomicReference<>();
  private final ExecutorService thread;
  private final Map<String, RunningInstance> running = new ConcurrentHashMap<>();
  private final Set<Diff.Attempt> failed = new HashSet<>();
  private final Set<String> known = new HashSet<>();
  /** The assignment of each app as last handed in, and the process states last reported for it (reconcile thread only). */
  private final Map<String, Assignment> assigned = new java.util.HashMap<>();
  private final Map<String, List<io.drover.api.v1.ProcessState>> reportedProcesses = new java.util.HashMap<>();

  /** A desired set to reconcile to, and whether to save it first (it came from the server). */
  private record Desired(Assignments assignments, boolean save) {}

  /** @param thread the reconcile thread: a single-thread executor, which {@link #close()} shuts down */
  Reconciler(LocalState state, Deployer deployer, Supervisor supervisor, HealthMonitor health, StatusReporter status,
      ExecutorService thread) {
    this.thread = thread;
    this.state = state;
    this.deployer = deployer;
    this.supervisor = supervisor;
    this.health = health;
    this.status = status;
    this.running.putAll(state.loadInstances());
  }

  /**
   * Builds a reconciler over the given host edges; releases and app logs go under {@code appsDir},
   * apps run as {@code users} decides, and the work runs on {@code thread}, a single-thread executor.
   */
  public static Reconciler create(Path appsDir, AppUsers users, LocalState state, BundleStore bundles,
      Supervisor supervisor, Nginx nginx, InetSocketAddress ingress, String python, Clock clock, HealthMonitor health,
      StatusReporter status, ExecutorService thread, int keepReleases, InetSocketAddress ingressTls,
      SiteCertificates certificates) {
    return new Reconciler(state, new Deployer(appsDir, users, bundles, supervisor, nginx, ingress, python, clock,
        keepReleases, ingressTls, certificates),
        supervisor, health, status, thread);
  }

  /** The instances running now, as saved in the local state. */
  public Collection<RunningInstance> running() {
    return List.copyOf(running.values());
  }

  /**
   * Removes stray programs (left by a deployment the agent did not finish), starts probing what runs
   * and reconciles once against the saved assignments, so that the host serves even with the server
   * down.
   */
  public void start() {
    thread.execute(() -> {
      try {
        Set<String> expected = new HashSet<>();
        running.values().forEach(i -> expected.add(i.program()));
        for (String program : supervisor.droverPrograms()) {
          if (!expected.contains(program) && expected.stream().noneMatch(e -> ProcessPrograms.belongsTo(program, e))) {
            log.info("event=stray_program_removed program={}", program);
            supervisor.remove(program);
          }
        }
      } catch (RuntimeException e) {
        log.warn("event=stray_cleanup_failed error=\"{}\"", e.getMessage(), e);
      }
    });
    for (RunningInstance i : running.values()) {
      known.add(i.app());
    }
    hand(new Desired(state.loadAssignments(), false));
  }

  /**
   * Hands over a new complete desired set from the server; returns at once (it is called on the
   * stream's thread). The reconcile thread saves it, so that a restarted agent without a server
   * still knows it, and reconciles.
   */
  public void receive(Assignments assignments) {
    hand(new Desired(assignments, true));
  }

  private void hand(Desired desired) {
    pending.set(desired);
    try {
      thread.execute(this::drain);
    } catch (RejectedExecutionException e) {
      log.debug("event=assignments_ignored reason=closed");
    }
  }

  /** Registers an app (running from the saved state) with the health monitor, probed as its spec's health says. */
  public void watch(RunningInstance i, AppSpec spec) {
    health.watch(new HealthMonitor.Target(i.app(), i.revision(), i.port(), Deployer.healthPath(spec),
        SpecRules.healthInterval(spec), SpecRules.healthTimeout(spec), SpecRules.healthFailures(spec)));
  }

  private void drain() {
    Desired next = pending.getAndSet(null);
    if (next == null) {
      return;
    }
    if (next.save()) {
      try {
        state.saveAssignments(next.assignments());
      } catch (RuntimeException e) {
        log.warn("event=assignments_not_saved error=\"{}\"", e.getMessage(), e);
      }
    }
    try {
      reconcile(next.assignments());
    } catch (RuntimeException e) {
      log.error("event=reconcile_failed error=\"{}\"", e.getMessage(), e);
    }
  }

  private void reconcile(Assignments assignments) {
    List<Assignment> desired = assignments.getAssignmentsList();
    assigned.clear();
    desired.forEach(a -> assigned.put(a.getApp(), a));
    for (Assignment a : desired) {
      RunningInstance i = running.get(a.getApp());
      if (i != null && i.revision() == a.getRevision() && !health.watching(a.getApp())) {
        watch(i, a.getSpec());
      }
      if (i != null && i.revision() == a.getRevision() && failed.removeIf(f -> f.app().equals(a.getApp()))) {
        // The last report for the app was a failed deployment of another revision, and the server now
        // wants the one that kept running (a reverted rollout): no action follows, so say it runs.
        log.info("event=instance_kept app={} revision={}", a.getApp(), a.getRevision());
        status.report(a.getApp(), a.getRevision(), InstanceState.INSTANCE_STATE_RUNNING, health.healthy(a.getApp()), "");
      }
    }
    List<Action> actions = Diff.plan(desired, Map.copyOf(running), Set.copyOf(failed), Set.copyOf(known));
    log.debug("event=reconcile desired={} actions={}", desired.size(), actions.size());
    for (Action action : actions) {
      if (pending.get() != null) {
        log.debug("event=reconcile_superseded");
        thread.execute(this::drain);
        return;
      }
      switch (action) {
        case Action.Deploy d -> deploy(d);
        case Action.Adopt a -> adopt(a);
        case Action.Remove r -> remove(r);
      }
    }
  }

  private void deploy(Action.Deploy d) {
    Assignment a = d.assignment();
    known.add(a.getApp());
    try {
      RunningInstance now = deployer.deploy(a, d.previous(), status);
      running.put(a.getApp(), now);
      state.saveInstances(new TreeMap<>(running));
      failed.removeIf(f -> f.app().equals(a.getApp()));
      watch(now, a.getSpec());
      status.report(runningWithProcesses(a, now));
      if (d.previous() != null && !Deployer.occupiesFilesOf(d.previous(), a.getRevision())) {
        retire(d.previous());
      }
    } catch (DeployFailedException e) {
      log.warn("event=instance_failed app={} revision={} reason=\"{}\"", a.getApp(), a.getRevision(), e.getMessage());
      if (!e.retryable()) {
        failed.add(Diff.Attempt.of(a));
      }
      if (Deployer.occupiesFilesOf(d.previous(), a.getRevision())) {
        running.remove(a.getApp());
        health.unwatch(a.getApp());
        state.saveInstances(new TreeMap<>(running));
      }
      status.report(a.getApp(), a.getRevision(), InstanceState.INSTANCE_STATE_FAILED, false,
          String.valueOf(e.getMessage()), e.logTail());
    }
  }

  /** A running, healthy instance, with what Supervisor says of the spec's processes. */
  private InstanceStatus runningWithProcesses(Assignment a, RunningInstance now) {
    InstanceStatus.Builder b = InstanceStatus.newBuilder().setApp(a.getApp()).setRevision(a.getRevision())
        .setState(InstanceState.INSTANCE_STATE_RUNNING).setHealthy(true);
    if (a.getSpec().getProcessesCount() > 0) {
      try {
        List<io.drover.api.v1.ProcessState> states = ProcessPrograms.states(a.getSpec(), now.program(), supervisor.statuses());
        reportedProcesses.put(a.getApp(), states);
        b.addAllProcesses(states);
      } catch (RuntimeException e) {
        log.warn("event=process_states_unread app={} error=\"{}\"", a.getApp(), e.getMessage());
      }
    }
    return b.build();
  }

  /**
   * Looks at the spec processes of every running instance on the reconcile thread and reports those
   * whose states changed since the last report (a worker that crashed, or came back); the agent's
   * timer calls it.
   */
  public void checkProcesses() {
    try {
      thread.execute(this::reportProcessChanges);
    } catch (RejectedExecutionException e) {
      log.debug("event=process_check_skipped reason=closed");
    }
  }

  private void reportProcessChanges() {
    Map<String, io.drover.agent.supervisor.Supervisor.ProgramStatus> all = null;
    for (RunningInstance i : running.values()) {
      Assignment a = assigned.get(i.app());
      if (a == null || a.getRevision() != i.revision() || a.getSpec().getProcessesCount() == 0) {
        continue;
      }
      try {
        all = all == null ? supervisor.statuses() : all;
        List<io.drover.api.v1.ProcessState> now = ProcessPrograms.states(a.getSpec(), i.program(), all);
        if (!now.equals(reportedProcesses.get(i.app()))) {
          reportedProcesses.put(i.app(), now);
          log.info("event=processes_changed app={} revision={}", i.app(), i.revision());
          status.report(InstanceStatus.newBuilder().setApp(i.app()).setRevision(i.revision())
              .setState(InstanceState.INSTANCE_STATE_RUNNING).setHealthy(health.healthy(i.app())).addAllProcesses(now)
              .build());
        }
      } catch (RuntimeException e) {
        log.warn("event=process_states_unread app={} error=\"{}\"", i.app(), e.getMessage());
        return;
      }
    }
  }

  /** Stops and deletes the instance nginx no longer sends to; a failure leaves a stray program, removed at the next start. */
  private void retire(RunningInstance previous) {
    try {
      deployer.retire(previous);
    } catch (RuntimeException e) {
      log.warn("event=retire_failed app={} program={} error=\"{}\"", previous.app(), previous.program(), e.getMessage(), e);
    }
  }

  /** The running instance serves the new revision as it is: same program, port, release and files. */
  private void adopt(Action.Adopt action) {
    Assignment a = action.assignment();
    RunningInstance now = action.running().adopting(a.getRevision());
    running.put(a.getApp(), now);
    state.saveInstances(new TreeMap<>(running));
    failed.removeIf(f -> f.app().equals(a.getApp()));
    watch(now, a.getSpec());
    log.info("event=instance_adopted app={} revision={} started_as={} program={}", a.getApp(), a.getRevision(),
        now.startedAs(), now.program());
    status.report(runningWithProcesses(a, now));
  }

  private void remove(Action.Remove r) {
    try {
      health.unwatch(r.app());
      deployer.removeApp(r.app(), r.running());
      running.remove(r.app());
      state.saveInstances(new TreeMap<>(running));
      known.remove(r.app());
      failed.removeIf(f -> f.app().equals(r.app()));
      log.info("event=instance_removed app={}", r.app());
      status.report(r.app(), r.running() == null ? 0 : r.running().revision(),
          InstanceState.INSTANCE_STATE_REMOVED, false, "");
    } catch (RuntimeException e) {
      log.warn("event=remove_failed app={} error=\"{}\"", r.app(), e.getMessage(), e);
      status.report(r.app(), r.running() == null ? 0 : r.running().revision(),
          InstanceState.INSTANCE_STATE_FAILED, false, "cannot remove: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
