package io.drover.server.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Duration;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.FieldChange;
import io.drover.api.v1.GunicornSpec;
import io.drover.api.v1.HealthSpec;
import io.drover.api.v1.NginxSpec;
import io.drover.api.v1.PlacementSpec;
import io.drover.api.v1.UpdateSpec;
import io.drover.server.operator.OperatorViews;
import io.drover.server.placement.AppRows;
import io.drover.server.placement.FleetSlice;
import io.drover.server.placement.Placement.Candidate;
import io.drover.server.plan.AppPlanner;
import io.drover.server.plan.PlanSnapshot;
import io.drover.server.rollout.RolloutPlanner;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code drover plan} shows before and after for each changed field. */
class SpecValuesTest {
  private static final AppSpec BASE = AppSpec.newBuilder()
      .setName("hello")
      .setBundleSha256("a".repeat(64))
      .setGunicorn(GunicornSpec.newBuilder().setApp("app:app"))
      .setNginx(NginxSpec.newBuilder().addDomains("hello.local"))
      .setHealth(HealthSpec.newBuilder().setPath("/healthz"))
      .setPlacement(PlacementSpec.newBuilder().setCount(1))
      .setUser("www-data")
      .build();

  private static List<FieldChange> planned(AppSpec before, AppSpec after) {
    List<Candidate> hosts = List.of(new Candidate("web-1", Map.of(), true, false, false));
    PlanSnapshot snapshot = new PlanSnapshot(after, new PlanSnapshot.Current(1, before), true, 2, 1,
        List.of(new AppRows.Row("web-1", 1, true, 1, "running", true)), new FleetSlice(hosts, Map.of("web-1", 1)),
        Map.of(1L, before), java.time.Instant.parse("2026-01-01T00:00:00Z"));
    return OperatorViews.plan(AppPlanner.plan(snapshot), snapshot).getChangesList();
  }

  private static FieldChange change(String field, String before, String after) {
    return FieldChange.newBuilder().setField(field).setBefore(before).setAfter(after).build();
  }

  @Test
  void aChangedUserShowsBeforeAndAfter() {
    assertEquals(List.of(change("user", "\"www-data\"", "\"app\"")), planned(BASE, BASE.toBuilder().setUser("app").build()));
    assertEquals(List.of(change("user", "\"www-data\"", "")), planned(BASE, BASE.toBuilder().clearUser().build()));
  }

  @Test
  void durationsShowAsEverywhereElse() {
    AppSpec after = BASE.toBuilder().setUpdate(UpdateSpec.newBuilder().setDeadline(Duration.newBuilder().setSeconds(5400))).build();
    assertEquals(List.of(change("update.deadline", "", "1h30m")), planned(BASE, after));
    java.time.Instant start = java.time.Instant.parse("2026-01-01T00:00:00Z");
    var release = new RolloutPlanner.Release("hello", 2, 1, 1, java.time.Duration.ZERO,
        java.time.Duration.ofMinutes(90), false);
    var step = new RolloutPlanner.Step("web-1", RolloutPlanner.StepState.UPDATING, start, null, "");
    var host = new RolloutPlanner.HostReport("web-1", 2, 1, "running", true, "");
    var decision = RolloutPlanner.plan(release, java.util.Map.of("web-1", step), List.of(host),
        start.plus(java.time.Duration.ofMinutes(91)));
    assertEquals("web-1: not running and healthy 1h30m after its update started", decision.reason());
  }

  @Test
  void workersAutoAndAnAddedUpdateBlockAreShown() {
    AppSpec three = BASE.toBuilder().setGunicorn(GunicornSpec.newBuilder().setApp("app:app").setWorkers(3)).build();
    assertEquals(List.of(change("gunicorn.workers", "auto", "3")), planned(BASE, three));
    assertEquals(List.of(change("update", "", "{}")), planned(BASE, BASE.toBuilder().setUpdate(UpdateSpec.getDefaultInstance()).build()));
  }
}
