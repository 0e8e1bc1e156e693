package io.drover.server.store;

import io.drover.api.v1.App;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.AppStatus;
import io.drover.api.v1.AppSummary;
import io.drover.api.v1.Assignment;
import io.drover.api.v1.Assignments;
import io.drover.api.v1.Host;
import io.drover.server.operator.OperatorViews;
import java.util.List;
import java.util.Optional;

/** A store read the way operators and agents see it: its records mapped as the endpoints map them. */
record StoreViews(Store store) {
  AppStore.Applied apply(AppSpec spec) {
    return store.apps().apply(spec, "test");
  }

  Optional<AppStatus> status(String app) {
    return store.apps().status(app).map(OperatorViews::status);
  }

  Optional<App> app(String app) {
    return store.apps().get(app).map(OperatorViews::app);
  }

  List<AppSummary> apps() {
    return store.apps().list().stream().map(OperatorViews::summary).toList();
  }

  List<Host> hosts() {
    return store.hosts().list().stream().map(OperatorViews::host).toList();
  }

  /** The host's desired set as pushed to its agent (secrets still sealed). */
  Assignments desired(String host) {
    Assignments.Builder out = Assignments.newBuilder();
    store.assignments().desired(List.of(host)).get(host).forEach(a -> out.addAssignments(
        Assignment.newBuilder().setApp(a.app()).setRevision(a.revision()).setSpec(a.spec())));
    return out.build();
  }
}
