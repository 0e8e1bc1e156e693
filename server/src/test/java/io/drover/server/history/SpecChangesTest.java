package io.drover.server.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.drover.api.v1.AppSpec;
import io.drover.api.v1.PlacementSpec;
import io.drover.api.v1.UpdateSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecChangesTest {
  private static final AppSpec BASE = AppSpec.newBuilder()
      .setName("hello")
      .setBundleSha256("a".repeat(64))
      .putEnv("GREETING", "hi")
      .setPlacement(PlacementSpec.newBuilder().setCount(2))
      .build();

  @Test
  void namesTheChangedFieldsAsInYaml() {
    AppSpec after = BASE.toBuilder()
        .putEnv("GREETING", "hello")
        .putEnv("NEW", "x")
        .setPlacement(PlacementSpec.newBuilder().setCount(3))
        .build();
    assertEquals(List.of("env.GREETING", "env.NEW", "placement.count"), SpecChanges.between(BASE, after));
  }

  @Test
  void bundleAndUpdateChangesAreNamed() {
    AppSpec after = BASE.toBuilder().setBundleSha256("b".repeat(64))
        .setUpdate(UpdateSpec.newBuilder().setMaxParallel(3)).build();
    assertEquals(List.of("source", "update.max_parallel"), SpecChanges.between(BASE, after));
  }

  @Test
  void secretsAreNamedButTheirValuesNeverShown() {
    AppSpec before = BASE.toBuilder().putSecrets("API_KEY", "v1:sealed-a").putSecrets("OLD", "v1:sealed-o").build();
    AppSpec after = BASE.toBuilder().putSecrets("API_KEY", "v1:sealed-b").putSecrets("NEW", "v1:sealed-n").build();
    assertEquals(List.of("secrets.API_KEY", "secrets.NEW", "secrets.OLD"), SpecChanges.between(before, after));
    assertEquals("(secret)", SpecValues.of(after, "secrets.API_KEY"));
    assertEquals("(secret)", SpecValues.of(after, "secrets.NEW"));
    assertEquals("", SpecValues.of(after, "secrets.OLD"));
  }

  @Test
  void firstRevisionAndEqualSpecs() {
    assertEquals(List.of("created"), SpecChanges.between(null, BASE));
    assertEquals(List.of(), SpecChanges.between(BASE, BASE));
  }
}
