package io.drover.server.operator;

import io.drover.api.v1.AddNotifyTargetRequest;
import io.drover.api.v1.App;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.AppStatus;
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
import io.drover.api.v1.NotifyTarget;
import io.drover.api.v1.OperatorServiceGrpc;
import io.drover.api.v1.Plan;
import io.drover.api.v1.PlanAppRequest;
import io.drover.api.v1.RemoveNotifyTargetRequest;
import io.drover.api.v1.RemoveNotifyTargetResponse;
import io.drover.api.v1.RollbackAppRequest;
import io.drover.api.v1.Rollout;
import io.drover.api.v1.TopResponse;
import io.drover.api.v1.UndrainHostRequest;
import io.drover.api.v1.UploadBundleRequest;
import io.drover.api.v1.UploadBundleResponse;
import io.drover.server.changes.ChangeDispatcher;
import io.drover.server.changes.ChangeNotice;
import io.drover.server.changes.LatestOnlySender;
import io.drover.server.metrics.TrafficWindow;
import io.drover.server.notify.Webhooks;
import io.drover.server.plan.AppPlanner;
import io.drover.server.plan.PlanSnapshot;
import io.drover.server.secrets.SecretBox;
import io.drover.server.secrets.SpecSecrets;
import io.drover.server.security.Identity;
import io.drover.server.store.AppStore.Applied;
import io.drover.server.store.AppStore.StoredApp;
import io.drover.server.store.BundleStore;
import io.drover.server.store.NotifyEvent;
import io.drover.server.store.Store;
import io.drover.spec.SpecRules;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OperatorService the CLI calls: apps, plans, revisions, rollouts, hosts and drains, status and
 * bundles. Handlers throw on failure; {@link io.drover.server.rpc.ErrorInterceptor} answers with the
 * status the failure maps to.
 */
public final class OperatorEndpoint extends OperatorServiceGrpc.OperatorServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(OperatorEndpoint.class);

  private final Clock clock;
  private final Store store;
  private final SpecSecrets secrets;
  private final StatusWatchers<AppStatus> watchers;
  private final StatusWatchers<Rollout> rolloutWatchers;
  private final StatusWatchers<DrainHostResponse> drainWatchers;
  private final ChangeDispatcher dispatcher;

  private final TrafficWindow traffic;
  private final SecretBox box;

  public OperatorEndpoint(Store store, SpecSecrets secrets, StatusWatchers<AppStatus> watchers,
      StatusWatchers<Rollout> rolloutWatchers, StatusWatchers<DrainHostResponse> drainWatchers,
      ChangeDispatcher dispatcher, TrafficWindow traffic, SecretBox box) {
    this(store, secrets, watchers, rolloutWatchers, drainWatchers, dispatcher, traffic, box, Clock.systemUTC());
  }

  /** As the other constructor, with the clock certificates are judged by. */
  public OperatorEndpoint(Store store, SpecSecrets secrets, StatusWatchers<AppStatus> watchers,
      StatusWatchers<Rollout> rolloutWatchers, StatusWatchers<DrainHostResponse> drainWatchers,
      ChangeDispatcher dispatcher, TrafficWindow traffic, SecretBox box, Clock clock) {
    this.clock = clock;
    this.traffic = traffic;
    this.box = box;
    this.store = store;
    this.secrets = secrets;
    this.watchers = watchers;
    this.rolloutWatchers = rolloutWatchers;
    this.drainWatchers = drainWatchers;
    this.dispatcher = dispatcher;
  }

  @Override
  public void applyApp(ApplyAppRequest request, StreamObserver<ApplyAppResponse> responses) {
    AppSpec spec = request.getSpec();
    checkSpec(spec);
    if (!store.bundles().exists(spec.getBundleSha256())) {
      throw Status.FAILED_PRECONDITION
          .withDescription("bundle " + spec.getBundleSha256() + " is not uploaded").asRuntimeException();
    }
    respond(responses, applied(store.apps().apply(sealed(spec), Identity.current().author())));
  }

  @Override
  public void getApp(GetAppRequest request, StreamObserver<App> responses) {
    respond(responses, OperatorViews.app(
        store.apps().get(required(request.getApp())).orElseThrow(() -> notFound(request.getApp()))));
  }

  @Override
  public void listApps(ListAppsRequest request, StreamObserver<ListAppsResponse> responses) {
    respond(responses, ListAppsResponse.newBuilder()
        .addAllApps(store.apps().list().stream().map(OperatorViews::summary).toList())
        .build());
  }

  @Override
  public void deleteApp(DeleteAppRequest request, StreamObserver<DeleteAppResponse> responses) {
    if (!store.apps().delete(required(request.getApp()))) {
      throw notFound(request.getApp());
    }
    respond(responses, DeleteAppResponse.newBuilder().setApp(request.getApp()).build());
  }

  @Override
  public void listCertificates(io.drover.api.v1.ListCertificatesRequest request,
      StreamObserver<io.drover.api.v1.ListCertificatesResponse> responses) {
    List<String> apps = request.getApp().isEmpty()
        ? store.apps().list().stream().map(a -> a.name()).toList()
        : List.of(request.getApp());
    io.drover.api.v1.ListCertificatesResponse.Builder out = io.drover.api.v1.ListCertificatesResponse.newBuilder();
    for (String app : apps) {
      var stored = store.apps().get(app);
      if (stored.isEmpty() && !request.getApp().isEmpty()) {
        throw notFound(app);
      }
      stored.flatMap(s -> io.drover.server.certs.CertificateStatus.of(s.spec(), clock.instant()))
          .ifPresent(c -> out.addCertificates(OperatorViews.certificate(c)));
    }
    respond(responses, out.build());
  }

  @Override
  public void listHosts(ListHostsRequest request, StreamObserver<ListHostsResponse> responses) {
    respond(responses, ListHostsResponse.newBuilder()
        .addAllHosts(store.hosts().list().stream().map(OperatorViews::host).toList())
        .build());
  }

  @Override
  public void getTop(GetTopRequest request, StreamObserver<TopResponse> responses) {
    if (!request.getApp().isEmpty()) {
      store.apps().status(request.getApp()).orElseThrow(() -> notFound(request.getApp()));
    }
    respond(responses, OperatorViews.top(traffic.top(request.getApp())));
  }

  @Override
  public void addNotifyTarget(AddNotifyTargetRequest request, StreamObserver<NotifyTarget> responses) {
    try {
      Webhooks.check(request.getWebhook());
    } catch (IllegalArgumentException e) {
      throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
    List<String> events = request.getEventsList().isEmpty() ? NotifyEvent.KINDS : request.getEventsList();
    for (String event : events) {
      if (!NotifyEvent.KINDS.contains(event)) {
        throw Status.INVALID_ARGUMENT.withDescription("--events: unknown event '" + event + "'; known: "
            + String.join(", ", NotifyEvent.KINDS)).asRuntimeException();
      }
    }
    String shown = Webhooks.mask(request.getWebhook());
    long id = store.notifications().addTarget(Webhooks.seal(box, request.getWebhook()), shown, List.copyOf(events),
        Identity.current().author());
    respond(responses, store.notifications().targets().stream().filter(t -> t.id() == id).findFirst()
        .map(OperatorViews::notifyTarget).orElseThrow());
  }

  @Override
  public void listNotifyTargets(ListNotifyTargetsRequest request,
      StreamObserver<ListNotifyTargetsResponse> responses) {
    respond(responses, ListNotifyTargetsResponse.newBuilder()
        .addAllTargets(store.notifications().targets().stream().map(OperatorViews::notifyTarget).toList()).build());
  }

  @Override
  public void removeNotifyTarget(RemoveNotifyTargetRequest request,
      StreamObserver<RemoveNotifyTargetResponse> responses) {
    if (!store.notifications().removeTarget(request.getWebhookId())) {
      throw Status.NOT_FOUND.withDescription("no webhook " + request.getWebhookId()
          + "; `drover notify list` shows their ids").asRuntimeException();
    }
    respond(responses, RemoveNotifyTargetResponse.getDefaultInstance());
  }

  @Override
  public void listNotifyDeliveries(ListNotifyDeliveriesRequest request,
      StreamObserver<ListNotifyDeliveriesResponse> responses) {
    int limit = request.getLimit() <= 0 ? 50 : Math.min(request.getLimit(), 1000);
    respond(responses, ListNotifyDeliveriesResponse.newBuilder()
        .addAllDeliveries(store.notifications().log(limit).stream().map(OperatorViews::notifyDelivery).toList()).build());
  }

  @Override
  public void getAppStatus(GetAppStatusRequest request, StreamObserver<AppStatus> responses) {
    respond(responses, OperatorViews.status(
        store.apps().status(required(request.getApp())).orElseThrow(() -> notFound(request.getApp()))));
  }

  @Override
  public void watchAppStatus(GetAppStatusRequest request, StreamObserver<AppStatus> responses) {
    String app = required(request.getApp());
    if (store.apps().status(app).isEmpty()) {
      throw notFound(app);
    }
    watch(responses, app, watchers, ChangeNotice.apps(Set.of(app)));
  }

  @Override
  public void getRollout(GetRolloutRequest request, StreamObserver<Rollout> responses) {
    String app = required(request.getApp());
    respond(responses, OperatorViews.rollout(store.rollouts().view(app).orElseThrow(() -> noRollout(app))));
  }

  @Override
  public void watchRollout(GetRolloutRequest request, StreamObserver<Rollout> responses) {
    String app = required(request.getApp());
    if (store.rollouts().view(app).isEmpty()) {
      throw noRollout(app);
    }
    watch(responses, app, rolloutWatchers, ChangeNotice.apps(Set.of(app)));
  }

  @Override
  public void listRevisions(ListRevisionsRequest request, StreamObserver<ListRevisionsResponse> responses) {
    String app = required(request.getApp());
    respond(responses, ListRevisionsResponse.newBuilder()
        .addAllRevisions(OperatorViews.revisions(store.apps().revisions(app).orElseThrow(() -> notFound(app))))
        .build());
  }

  @Override
  public void rollbackApp(RollbackAppRequest request, StreamObserver<ApplyAppResponse> responses) {
    String app = required(request.getApp());
    StoredApp current = store.apps().get(app).orElseThrow(() -> notFound(app));
    long target = request.getToRevision();
    if (target < 0) {
      throw Status.INVALID_ARGUMENT.withDescription("to_revision: must be a positive revision, got " + target)
          .asRuntimeException();
    }
    if (target == 0) {
      target = store.apps().revisionBefore(app, current.revision()).orElseThrow(() ->
          Status.FAILED_PRECONDITION.withDescription(
              "app " + app + " has no revision before " + current.revision() + " to roll back to").asRuntimeException());
    }
    long wanted = target;
    AppSpec spec = store.apps().spec(app, wanted).orElseThrow(() ->
        Status.NOT_FOUND.withDescription("app " + app + " has no revision " + wanted).asRuntimeException());
    if (!store.bundles().exists(spec.getBundleSha256())) {
      throw Status.FAILED_PRECONDITION.withDescription("revision " + wanted + " of " + app + ": its bundle "
          + spec.getBundleSha256().substring(0, Math.min(12, spec.getBundleSha256().length()))
          + " was pruned (the server keeps the bundles of each app's last revisions and of those hosts run); "
          + "apply that revision's source again").asRuntimeException();
    }
    Applied applied = store.apps().apply(spec, wanted, Identity.current().author());
    log.info("event=app_rolled_back app={} to={} revision={} changed={}", app, wanted, applied.revision(),
        applied.changed());
    respond(responses, applied(applied));
  }

  @Override
  public void planApp(PlanAppRequest request, StreamObserver<Plan> responses) {
    AppSpec spec = request.getSpec();
    checkSpec(spec);
    PlanSnapshot snapshot = store.apps().planSnapshot(sealed(spec));
    respond(responses, OperatorViews.plan(AppPlanner.plan(snapshot), snapshot));
  }

  @Override
  public void drainHost(DrainHostRequest request, StreamObserver<DrainHostResponse> responses) {
    String host = requiredHost(request.getHost());
    respond(responses,
        OperatorViews.drain(store.drains().setDrained(host, true).orElseThrow(() -> hostNotFound(host))));
  }

  @Override
  public void watchDrain(DrainHostRequest request, StreamObserver<DrainHostResponse> responses) {
    String host = requiredHost(request.getHost());
    if (store.drains().progress(host).isEmpty()) {
      throw hostNotFound(host);
    }
    watch(responses, host, drainWatchers, ChangeNotice.hosts(Set.of(host)));
  }

  @Override
  public void undrainHost(UndrainHostRequest request, StreamObserver<DrainHostResponse> responses) {
    String host = requiredHost(request.getHost());
    respond(responses,
        OperatorViews.drain(store.drains().setDrained(host, false).orElseThrow(() -> hostNotFound(host))));
  }

  @Override
  public void hasBundle(HasBundleRequest request, StreamObserver<HasBundleResponse> responses) {
    if (!BundleStore.validSha256(request.getSha256())) {
      throw Status.INVALID_ARGUMENT.withDescription(
          "sha256: \"" + request.getSha256() + "\" is not a lower-case hex sha256").asRuntimeException();
    }
    respond(responses, HasBundleResponse.newBuilder().setExists(store.bundles().exists(request.getSha256())).build());
  }

  @Override
  public StreamObserver<UploadBundleRequest> uploadBundle(StreamObserver<UploadBundleResponse> responses) {
    return new BundleUpload(store.bundles(), responses);
  }

  private static void checkSpec(AppSpec spec) {
    List<String> problems = SpecRules.check(spec);
    if (!problems.isEmpty()) {
      throw Status.INVALID_ARGUMENT.withDescription(String.join("; ", problems)).asRuntimeException();
    }
    if (spec.getName().isEmpty()) {
      throw Status.INVALID_ARGUMENT.withDescription("name: required").asRuntimeException();
    }
  }

  /** The (checked) spec with its secrets sealed, those unchanged from the app's stored spec as stored. */
  private AppSpec sealed(AppSpec spec) {
    if (spec.getSecretsCount() == 0 && spec.getNginx().getTls().getKey().isEmpty()) {
      return spec;
    }
    return secrets.seal(spec, store.apps().get(spec.getName()).map(StoredApp::spec).orElse(null));
  }

  private static ApplyAppResponse applied(Applied applied) {
    return ApplyAppResponse.newBuilder()
        .setApp(applied.app())
        .setRevision(applied.revision())
        .setChanged(applied.changed())
        .build();
  }

  /**
   * Opens a watch stream of {@code key} (an app, a host) the caller checked exists: the first view
   * goes out (through {@code first}, a notice that touches the key) and every change after.
   */
  private <T> void watch(StreamObserver<T> responses, String key, StatusWatchers<T> registry, ChangeNotice first) {
    var out = (ServerCallStreamObserver<T>) responses;
    LatestOnlySender<T> watcher = new LatestOnlySender<>(out);
    out.setOnReadyHandler(watcher::drain);
    out.setOnCancelHandler(() -> {
      watcher.abandon();
      registry.remove(key, watcher);
    });
    registry.add(key, watcher);
    // The first view goes out through the same path as every later one, so they stay in order.
    dispatcher.submit(first);
  }

  private static <T> void respond(StreamObserver<T> responses, T response) {
    responses.onNext(response);
    responses.onCompleted();
  }

  private static String required(String app) {
    if (app.isEmpty()) {
      throw Status.INVALID_ARGUMENT.withDescription("app: required").asRuntimeException();
    }
    return app;
  }

  private static String requiredHost(String host) {
    if (host.isEmpty()) {
      throw Status.INVALID_ARGUMENT.withDescription("host: required").asRuntimeException();
    }
    return host;
  }

  private static StatusRuntimeException hostNotFound(String host) {
    return Status.NOT_FOUND.withDescription("host " + host + " not found").asRuntimeException();
  }

  private static StatusRuntimeException noRollout(String app) {
    return Status.NOT_FOUND.withDescription("app " + app + " has no rollout (was it applied?)").asRuntimeException();
  }

  private static StatusRuntimeException notFound(String app) {
    return Status.NOT_FOUND.withDescription("app " + app + " not found").asRuntimeException();
  }
}
