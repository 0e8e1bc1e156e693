package io.drover.agent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.drover.api.v1.AppSpec;
import com.google.protobuf.Duration;
import io.drover.api.v1.GunicornSpec;
import io.drover.api.v1.HealthSpec;
import io.drover.api.v1.NginxSpec;
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
  void theHashOfAStoredSpecStaysTheSame() {
    // agents compare this hash with the one they stored for a running instance: it must never change
    AppSpec full = BASE.toBuilder()
        .setNginx(NginxSpec.newBuilder().addDomains("hello.local").addDomains("*.hello.example.com"))
        .setHealth(HealthSpec.newBuilder().setPath("/healthz"))
        .putSecrets("API_KEY", "k-123")
        .setUser("www-data")
        .setUpdate(UpdateSpec.newBuilder().setMaxParallel(2).setAutoRevert(false)
            .setMinHealthy(Duration.newBuilder().setSeconds(1).setNanos(500_000_000)))
        .build();
    String stored = "64a81557f29046e47424755091618d6284752a1fc3c3b4c17f2cefacb20d8e26";
    assertEquals(stored, SpecHash.of(full));
    assertEquals(stored, SpecHash.of(full.toBuilder().clearPlacement().clearUpdate().build()));
  }

  @Test
  void mapOrderDoesNot() {
    AppSpec reordered = BASE.toBuilder().clearEnv().putEnv("COLOR", "blue").putEnv("GREETING", "Hello").build();
    assertEquals(SpecHash.of(BASE), SpecHash.of(reordered));
  }
}
