package io.drover.agent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.drover.api.v1.AppSpec;
import io.drover.api.v1.GunicornSpec;
import io.drover.api.v1.PlacementSpec;
import io.drover.api.v1.UpdateSpec;
import org.junit.jupiter.api.Test;

/** Which spec changes need a new instance on the host, and which the running one can adopt. */
class SpecHashTest {
  private static final AppSpec BASE = AppSpec.newBuilder()
      .setName("hello")
      .setBundleSha256("a".repeat(64))
      .setGunicorn(GunicornSpec.newBuilder().setApp("app:app"))
      .putEnv("GREETING", "Hello")
      .putEnv("COLOR", "blue")
      .setPlacement(PlacementSpec.newBuilder().putLabels("role", "web").setCount(2))
      .build();

  @Test
  void placementAndUpdatePolicyDoNotShapeTheInstance() {
    AppSpec moved = BASE.toBuilder()
        .setPlacement(PlacementSpec.newBuilder().putLabels("role", "web").setAll(true))
        .setUpdate(UpdateSpec.newBuilder().setMaxParallel(3))
        .build();
    assertEquals(SpecHash.of(BASE), SpecHash.of(moved));
  }

  @Test
  void envBundleAndGunicornDo() {
    assertNotEquals(SpecHash.of(BASE), SpecHash.of(BASE.toBuilder().putEnv("GREETING", "Hi").build()));
    assertNotEquals(SpecHash.of(BASE), SpecHash.of(BASE.toBuilder().setBundleSha256("b".repeat(64)).build()));
    assertNotEquals(SpecHash.of(BASE),
        SpecHash.of(BASE.toBuilder().setGunicorn(GunicornSpec.newBuilder().setApp("app:app").setWorkers(3)).build()));
  }

  @Test
  void mapOrderDoesNot() {
    AppSpec reordered = BASE.toBuilder().clearEnv().putEnv("COLOR", "blue").putEnv("GREETING", "Hello").build();
    assertEquals(SpecHash.of(BASE), SpecHash.of(reordered));
  }
}
