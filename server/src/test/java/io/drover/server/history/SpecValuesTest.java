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
import io.drover.server.placement.Placement.Candidate;
import io.drover.server.plan.AppPlanner;
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
    return AppPlanner.plan(after, new AppPlanner.Current(1, before), true, 2, hosts, Map.of(),
        List.of(new AppPlanner.Placed("web-1", 1, before))).getChangesList();
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
    assertEquals("1h30m", RolloutPlanner.describe(java.time.Duration.ofMinutes(90)));
  }

  @Test
  void workersAutoAndAnAddedUpdateBlockAreShown() {
    AppSpec three = BASE.toBuilder().setGunicorn(GunicornSpec.newBuilder().setApp("app:app").setWorkers(3)).build();
    assertEquals(List.of(change("gunicorn.workers", "auto", "3")), planned(BASE, three));
    assertEquals(List.of(change("update", "", "{}")), planned(BASE, BASE.toBuilder().setUpdate(UpdateSpec.getDefaultInstance()).build()));
  }
}
