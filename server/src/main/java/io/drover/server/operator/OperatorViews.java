package io.drover.server.operator;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.drover.api.v1.App;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.AppStatus;
import io.drover.api.v1.AppSummary;
import io.drover.api.v1.DrainHostResponse;
import io.drover.api.v1.DrainingApp;
import io.drover.api.v1.FieldChange;
import io.drover.api.v1.Host;
import io.drover.api.v1.HostAction;
import io.drover.api.v1.HostFacts;
import io.drover.api.v1.Instance;
import io.drover.api.v1.Plan;
import io.drover.api.v1.Revision;
import io.drover.api.v1.Rollout;
import io.drover.api.v1.RolloutHost;
import io.drover.server.history.SpecChanges;
import io.drover.server.history.SpecValues;
import io.drover.server.plan.AppPlan;
import io.drover.server.plan.PlanSnapshot;
import io.drover.server.rpc.ProtoTime;
import io.drover.server.secrets.SpecSecrets;
import io.drover.server.store.AppStore.AppCounts;
import io.drover.server.store.AppStore.StoredApp;
import io.drover.server.store.AppStore.StoredRevision;
import io.drover.server.store.AppView;
import io.drover.server.store.DrainStore;
import io.drover.server.store.DrainStore.DrainProgress;
import io.drover.server.store.HostStore.HostRecord;
import io.drover.server.store.RolloutView;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The store's records as the OperatorService answers them. Every spec an operator sees has its
 * secrets masked.
 */
public final class OperatorViews {
  private OperatorViews() {}

  public static App app(StoredApp app) {
    return App.newBuilder()
        .setName(app.name())
        .setRevision(app.revision())
        .setUpdatedAt(ProtoTime.timestamp(app.updatedAt()))
        .setSpec(SpecSecrets.masked(app.spec()))
        .build();
  }

  public static AppSummary summary(AppCounts app) {
    return AppSummary.newBuilder()
        .setName(app.name())
        .setRevision(app.revision())
        .setUpdatedAt(ProtoTime.timestamp(app.updatedAt()))
        .setPlaced(app.placed())
        .setRunning(app.running())
        .setHealthy(app.healthy())
        .build();
  }

  public static Host host(HostRecord host) {
    return Host.newBuilder()
        .setName(host.name())
        .putAllLabels(host.labels())
        .setFacts(facts(host.facts()))
        .setState(host.up() ? "up" : "down")
        .setLastSeen(ProtoTime.timestamp(host.lastSeen()))
        .setInstances(host.instances())
        .setDrained(host.drained())
        .build();
  }

  private static HostFacts facts(String json) {
    HostFacts.Builder facts = HostFacts.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(json, facts);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored host facts are not valid JSON: " + e.getMessage(), e);
    }
    return facts.build();
  }

  public static AppStatus status(AppView view) {
    AppStatus.Builder status = AppStatus.newBuilder()
        .setApp(view.app())
        .setRevision(view.revision())
        .setExists(view.exists())
        .setDesired(view.desired())
        .setShortfall(view.shortfall());
    for (AppView.Instance i : view.instances()) {
      status.addInstances(Instance.newBuilder()
          .setHost(i.host())
          .setRevision(i.revision())
          .setState(i.state())
          .setHealthy(i.healthy())
          .setReason(i.reason())
          .addAllLogTail(i.logTail())
          .setUpdatedAt(ProtoTime.timestamp(i.updatedAt()))
          .addAllProcesses(i.processes().stream().map(p -> io.drover.api.v1.ProcessState.newBuilder().setName(p.name())
              .setRunning(p.running()).setWanted(p.wanted()).addAllOtherStates(p.otherStates()).build()).toList()));
    }
    view.rollout().map(OperatorViews::rollout).ifPresent(status::setRollout);
    return status.build();
  }

  public static Rollout rollout(RolloutView r) {
    Rollout.Builder out = Rollout.newBuilder()
        .setApp(r.app())
        .setRevision(r.revision())
        .setFromRevision(r.fromRevision())
        .setState(r.state())
        .setMaxParallel(r.maxParallel())
        .setMinHealthy(ProtoTime.duration(r.minHealthy()))
        .setDeadline(ProtoTime.duration(r.deadline()))
        .setAutoRevert(r.autoRevert())
        .setStartedAt(ProtoTime.timestamp(r.startedAt()))
        .setReason(r.reason());
    r.finishedAt().ifPresent(t -> out.setFinishedAt(ProtoTime.timestamp(t)));
    for (RolloutView.Host h : r.hosts()) {
      RolloutHost.Builder host = RolloutHost.newBuilder()
          .setHost(h.host())
          .setStep(h.step())
          .setRevision(h.revision())
          .setState(h.state())
          .setHealthy(h.healthy())
          .setReason(h.reason());
      h.startedAt().ifPresent(t -> host.setStartedAt(ProtoTime.timestamp(t)));
      out.addHosts(host);
    }
    return out.build();
  }

  /** Revisions, newest first, each with the fields that changed from the one before it. */
  public static List<Revision> revisions(List<StoredRevision> newestFirst) {
    return IntStream.range(0, newestFirst.size()).mapToObj(i -> {
      StoredRevision r = newestFirst.get(i);
      AppSpec before = i + 1 < newestFirst.size() ? newestFirst.get(i + 1).spec() : null;
      return Revision.newBuilder()
          .setRevision(r.revision())
          .setCreatedAt(ProtoTime.timestamp(r.createdAt()))
          .setCreatedBy(r.createdBy())
          .addAllChanges(SpecChanges.between(before, r.spec()))
          .setCurrent(r.current())
          .setRollbackOf(r.rollbackOf())
          .build();
    }).toList();
  }

  public static DrainHostResponse drain(DrainProgress progress) {
    DrainHostResponse.Builder out = DrainHostResponse.newBuilder()
        .setHost(progress.host())
        .setDrained(progress.drained());
    for (DrainStore.DrainingApp app : progress.apps()) {
      String waitingFor = app.notHealthy().isEmpty()
          ? (progress.drained() ? "a replacement host" : "")
          : app.notHealthy().stream().map(r -> r.host() + " " + r.state()).collect(Collectors.joining(", "));
      out.addApps(DrainingApp.newBuilder().setApp(app.app()).setWaitingFor(waitingFor));
    }
    return out.build();
  }

  /** The plan, with the spec fields that differ from the current revision's. */
  public static Plan plan(AppPlan plan, PlanSnapshot snapshot) {
    Plan.Builder out = Plan.newBuilder()
        .setApp(plan.app())
        .setCurrentRevision(plan.currentRevision())
        .setRevision(plan.revision())
        .setChanged(plan.changed())
        .setShortfall(plan.shortfall());
    PlanSnapshot.Current current = snapshot.current();
    if (current != null && plan.changed()) {
      for (String field : SpecChanges.between(current.spec(), snapshot.spec())) {
        out.addChanges(FieldChange.newBuilder()
            .setField(field)
            .setBefore(SpecValues.of(current.spec(), field))
            .setAfter(SpecValues.of(snapshot.spec(), field)));
      }
    }
    for (AppPlan.HostAction h : plan.hosts()) {
      out.addHosts(HostAction.newBuilder().setHost(h.host()).setAction(h.action().label())
          .setDescription(h.description()));
    }
    return out.build();
  }
}
