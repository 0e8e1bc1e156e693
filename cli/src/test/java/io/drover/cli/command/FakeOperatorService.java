package io.drover.cli.command;

import com.google.protobuf.ByteString;
import io.drover.api.v1.AddNotifyTargetRequest;
import io.drover.api.v1.App;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.AppStatus;
import io.drover.api.v1.AppSummary;
import io.drover.api.v1.ApplyAppRequest;
import io.drover.api.v1.ApplyAppResponse;
import io.drover.api.v1.DeleteAppRequest;
import io.drover.api.v1.DeleteAppResponse;
import io.drover.api.v1.DrainHostRequest;
import io.drover.api.v1.DrainHostResponse;
import io.drover.api.v1.GetAppRequest;
import io.drover.api.v1.GetAppStatusRequest;
import io.drover.api.v1.GetRolloutRequest;
import io.drover.api.v1.GetTopRequest;
import io.drover.api.v1.HasBundleRequest;
import io.drover.api.v1.HasBundleResponse;
import io.drover.api.v1.Host;
import io.drover.api.v1.ListAppsRequest;
import io.drover.api.v1.ListAppsResponse;
import io.drover.api.v1.ListHostsRequest;
import io.drover.api.v1.ListHostsResponse;
import io.drover.api.v1.ListNotifyDeliveriesRequest;
import io.drover.api.v1.ListNotifyDeliveriesResponse;
import io.drover.api.v1.ListNotifyTargetsRequest;
import io.drover.api.v1.ListNotifyTargetsResponse;
import io.drover.api.v1.ListRevisionsRequest;
import io.drover.api.v1.ListRevisionsResponse;
import io.drover.api.v1.NotifyDelivery;
import io.drover.api.v1.NotifyTarget;
import io.drover.api.v1.OperatorServiceGrpc;
import io.drover.api.v1.Plan;
import io.drover.api.v1.PlanAppRequest;
import io.drover.api.v1.RemoveNotifyTargetRequest;
import io.drover.api.v1.RemoveNotifyTargetResponse;
import io.drover.api.v1.Revision;
import io.drover.api.v1.RollbackAppRequest;
import io.drover.api.v1.Rollout;
import io.drover.api.v1.TopResponse;
import io.drover.api.v1.UndrainHostRequest;
import io.drover.api.v1.UploadBundleRequest;
import io.drover.api.v1.UploadBundleResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** An operator service that keeps apps and bundles in memory and plays back scripted statuses. */
final class FakeOperatorService extends OperatorServiceGrpc.OperatorServiceImplBase {
  final Map<String, ByteString> bundles = new ConcurrentHashMap<>();
  final Map<String, App> apps = new ConcurrentHashMap<>();
  final List<Host> hosts = new CopyOnWriteArrayList<>();
  final List<io.drover.api.v1.AppCertificate> certificates = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Statuses sent, in order, on each WatchAppStatus call; the stream then ends. */
  final List<AppStatus> watched = new CopyOnWriteArrayList<>();
  /** Rollout states sent, in order, on each WatchRollout call; GetRollout answers the first. */
  final List<Rollout> rollouts = new CopyOnWriteArrayList<>();
  /** WatchRollout keeps its stream open after the last state instead of ending it. */
  volatile boolean holdRolloutStream;
  /** What ListRevisions answers. */
  final List<Revision> revisions = new CopyOnWriteArrayList<>();
  /** The RollbackApp requests received. */
  final List<RollbackAppRequest> rollbacks = new CopyOnWriteArrayList<>();
  /** What PlanApp answers, with the app set to the request's. */
  volatile Plan plan = Plan.getDefaultInstance();
  /** The specs PlanApp received. */
  final List<AppSpec> planned = new CopyOnWriteArrayList<>();
  /**
   * DrainHost answers these in turn, the last one for every later call; WatchDrain streams them all;
   * empty means NOT_FOUND.
   */
  final List<DrainHostResponse> drains = new CopyOnWriteArrayList<>();
  final AtomicInteger drainCalls = new AtomicInteger();
  final AtomicInteger watchDrainCalls = new AtomicInteger();
  /** The hosts UndrainHost was called for. */
  final List<String> undrained = new CopyOnWriteArrayList<>();
  /** Each WatchAppStatus or WatchRollout call first takes one of these, if any, and fails with it. */
  final Queue<Status> watchFailures = new ConcurrentLinkedQueue<>();
  final AtomicInteger watchCalls = new AtomicInteger();
  final AtomicInteger calls = new AtomicInteger();
  /** What getTop answers, in turn (the last one again when they run out). */
  final List<TopResponse> tops = new CopyOnWriteArrayList<>();
  final List<GetTopRequest> topRequests = new CopyOnWriteArrayList<>();
  final List<NotifyTarget> notifyTargets = new CopyOnWriteArrayList<>();
  final List<NotifyDelivery> deliveries = new CopyOnWriteArrayList<>();
  final AtomicInteger uploads = new AtomicInteger();

  @Override
  public void planApp(PlanAppRequest request, StreamObserver<Plan> response) {
    calls.incrementAndGet();
    planned.add(request.getSpec());
    response.onNext(plan.toBuilder().setApp(request.getSpec().getName()).build());
    response.onCompleted();
  }

  @Override
  public void drainHost(DrainHostRequest request, StreamObserver<DrainHostResponse> response) {
    calls.incrementAndGet();
    int call = drainCalls.getAndIncrement();
    if (drains.isEmpty()) {
      response.onError(Status.NOT_FOUND.withDescription("host " + request.getHost() + " not found").asRuntimeException());
      return;
    }
    response.onNext(drains.get(Math.min(call, drains.size() - 1)));
    response.onCompleted();
  }

  /**
   * Streams every one of {@link #drains}; completes after the last only when it has no app left,
   * else stays open (a drain that does not finish) until the client gives up.
   */
  @Override
  public void watchDrain(DrainHostRequest request, StreamObserver<DrainHostResponse> response) {
    calls.incrementAndGet();
    watchDrainCalls.incrementAndGet();
    if (drains.isEmpty()) {
      response.onError(Status.NOT_FOUND.withDescription("host " + request.getHost() + " not found").asRuntimeException());
      return;
    }
    drains.forEach(response::onNext);
    if (drains.getLast().getAppsCount() == 0) {
      response.onCompleted();
    }
  }

  @Override
  public void undrainHost(UndrainHostRequest request, StreamObserver<DrainHostResponse> response) {
    calls.incrementAndGet();
    undrained.add(request.getHost());
    response.onNext(DrainHostResponse.newBuilder().setHost(request.getHost()).build());
    response.onCompleted();
  }

  @Override
  public void hasBundle(HasBundleRequest request, StreamObserver<HasBundleResponse> response) {
    calls.incrementAndGet();
    response.onNext(HasBundleResponse.newBuilder().setExists(bundles.containsKey(request.getSha256())).build());
    response.onCompleted();
  }

  @Override
  public StreamObserver<UploadBundleRequest> uploadBundle(StreamObserver<UploadBundleResponse> response) {
    calls.incrementAndGet();
    uploads.incrementAndGet();
    return new StreamObserver<>() {
      String sha256;
      ByteString data = ByteString.EMPTY;

      @Override
      public void onNext(UploadBundleRequest part) {
        if (part.hasHeader()) {
          sha256 = part.getHeader().getSha256();
        } else {
          data = data.concat(part.getData());
        }
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        bundles.put(sha256, data);
        response.onNext(UploadBundleResponse.newBuilder().setSha256(sha256).setSize(data.size()).build());
        response.onCompleted();
      }
    };
  }

  @Override
  public void applyApp(ApplyAppRequest request, StreamObserver<ApplyAppResponse> response) {
    calls.incrementAndGet();
    String name = request.getSpec().getName();
    if (!bundles.containsKey(request.getSpec().getBundleSha256())) {
      response.onError(Status.FAILED_PRECONDITION.withDescription("bundle " + request.getSpec().getBundleSha256() + " not uploaded").asRuntimeException());
      return;
    }
    App current = apps.get(name);
    boolean changed = current == null || !current.getSpec().equals(request.getSpec());
    long revision = current == null ? 1 : current.getRevision() + (changed ? 1 : 0);
    apps.put(name, App.newBuilder().setName(name).setRevision(revision).setSpec(request.getSpec()).build());
    response.onNext(ApplyAppResponse.newBuilder().setApp(name).setRevision(revision).setChanged(changed).build());
    response.onCompleted();
  }

  @Override
  public void getApp(GetAppRequest request, StreamObserver<App> response) {
    calls.incrementAndGet();
    App app = apps.get(request.getApp());
    if (app == null) {
      response.onError(notFound(request.getApp()));
      return;
    }
    response.onNext(app);
    response.onCompleted();
  }

  @Override
  public void listCertificates(io.drover.api.v1.ListCertificatesRequest request,
      StreamObserver<io.drover.api.v1.ListCertificatesResponse> response) {
    calls.incrementAndGet();
    response.onNext(io.drover.api.v1.ListCertificatesResponse.newBuilder().addAllCertificates(certificates.stream()
        .filter(c -> request.getApp().isEmpty() || c.getApp().equals(request.getApp())).toList()).build());
    response.onCompleted();
  }

  @Override
  public void listApps(ListAppsRequest request, StreamObserver<ListAppsResponse> response) {
    calls.incrementAndGet();
    ListAppsResponse.Builder list = ListAppsResponse.newBuilder();
    apps.values().forEach(a -> list.addApps(AppSummary.newBuilder().setName(a.getName()).setRevision(a.getRevision()).setPlaced(2)));
    response.onNext(list.build());
    response.onCompleted();
  }

  @Override
  public void deleteApp(DeleteAppRequest request, StreamObserver<DeleteAppResponse> response) {
    calls.incrementAndGet();
    if (apps.remove(request.getApp()) == null) {
      response.onError(notFound(request.getApp()));
      return;
    }
    response.onNext(DeleteAppResponse.newBuilder().setApp(request.getApp()).build());
    response.onCompleted();
  }

  @Override
  public void listHosts(ListHostsRequest request, StreamObserver<ListHostsResponse> response) {
    calls.incrementAndGet();
    response.onNext(ListHostsResponse.newBuilder().addAllHosts(hosts).build());
    response.onCompleted();
  }

  @Override
  public void addNotifyTarget(AddNotifyTargetRequest request, StreamObserver<NotifyTarget> response) {
    calls.incrementAndGet();
    NotifyTarget target = NotifyTarget.newBuilder().setWebhookId(notifyTargets.size() + 1)
        .setWebhook(request.getWebhook().replaceAll("^(https?://[^/]+)/.+$", "$1/…"))
        .addAllEvents(request.getEventsList().isEmpty() ? List.of("host-down", "host-up") : request.getEventsList())
        .setCreatedBy("token:t1 (ops, admin)").build();
    notifyTargets.add(target);
    response.onNext(target);
    response.onCompleted();
  }

  @Override
  public void listNotifyTargets(ListNotifyTargetsRequest request, StreamObserver<ListNotifyTargetsResponse> response) {
    calls.incrementAndGet();
    response.onNext(ListNotifyTargetsResponse.newBuilder().addAllTargets(notifyTargets).build());
    response.onCompleted();
  }

  @Override
  public void removeNotifyTarget(RemoveNotifyTargetRequest request,
      StreamObserver<RemoveNotifyTargetResponse> response) {
    calls.incrementAndGet();
    if (!notifyTargets.removeIf(t -> t.getWebhookId() == request.getWebhookId())) {
      response.onError(Status.NOT_FOUND.withDescription("no webhook " + request.getWebhookId()
          + "; `drover notify list` shows their ids").asRuntimeException());
      return;
    }
    response.onNext(RemoveNotifyTargetResponse.getDefaultInstance());
    response.onCompleted();
  }

  @Override
  public void listNotifyDeliveries(ListNotifyDeliveriesRequest request,
      StreamObserver<ListNotifyDeliveriesResponse> response) {
    calls.incrementAndGet();
    response.onNext(ListNotifyDeliveriesResponse.newBuilder()
        .addAllDeliveries(deliveries.subList(0, Math.min(request.getLimit(), deliveries.size()))).build());
    response.onCompleted();
  }

  @Override
  public void getTop(GetTopRequest request, StreamObserver<TopResponse> response) {
    calls.incrementAndGet();
    topRequests.add(request);
    response.onNext(tops.get(Math.min(topRequests.size(), tops.size()) - 1));
    response.onCompleted();
  }

  @Override
  public void getAppStatus(GetAppStatusRequest request, StreamObserver<AppStatus> response) {
    calls.incrementAndGet();
    if (watched.isEmpty() || !apps.containsKey(request.getApp())) {
      response.onError(notFound(request.getApp()));
      return;
    }
    response.onNext(watched.get(watched.size() - 1));
    response.onCompleted();
  }

  @Override
  public void watchAppStatus(GetAppStatusRequest request, StreamObserver<AppStatus> response) {
    calls.incrementAndGet();
    if (failedWatch(response)) {
      return;
    }
    watched.forEach(response::onNext);
    response.onCompleted();
  }

  @Override
  public void getRollout(GetRolloutRequest request, StreamObserver<Rollout> response) {
    calls.incrementAndGet();
    if (rollouts.isEmpty()) {
      response.onError(notFound(request.getApp()));
      return;
    }
    response.onNext(rollouts.get(0));
    response.onCompleted();
  }

  @Override
  public void watchRollout(GetRolloutRequest request, StreamObserver<Rollout> response) {
    calls.incrementAndGet();
    if (failedWatch(response)) {
      return;
    }
    rollouts.forEach(response::onNext);
    if (!holdRolloutStream) {
      response.onCompleted();
    }
  }

  @Override
  public void listRevisions(ListRevisionsRequest request, StreamObserver<ListRevisionsResponse> response) {
    calls.incrementAndGet();
    response.onNext(ListRevisionsResponse.newBuilder().addAllRevisions(revisions).build());
    response.onCompleted();
  }

  @Override
  public void rollbackApp(RollbackAppRequest request, StreamObserver<ApplyAppResponse> response) {
    calls.incrementAndGet();
    rollbacks.add(request);
    App current = apps.get(request.getApp());
    if (current == null) {
      response.onError(notFound(request.getApp()));
      return;
    }
    long revision = current.getRevision() + 1;
    apps.put(request.getApp(), current.toBuilder().setRevision(revision).build());
    response.onNext(ApplyAppResponse.newBuilder().setApp(request.getApp()).setRevision(revision).setChanged(true).build());
    response.onCompleted();
  }

  private boolean failedWatch(StreamObserver<?> response) {
    watchCalls.incrementAndGet();
    Status failure = watchFailures.poll();
    if (failure != null) {
      response.onError(failure.asRuntimeException());
    }
    return failure != null;
  }

  private static RuntimeException notFound(String app) {
    return Status.NOT_FOUND.withDescription("app \"" + app + "\" not found").asRuntimeException();
  }
}
