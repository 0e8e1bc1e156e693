package io.drover.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.GunicornSpec;
import io.drover.api.v1.PlacementSpec;
import io.drover.api.v1.UpdateSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The table of spec fields against the proto it describes, and what is derived from it. */
class SpecFieldsTest {
  private static final int CASES = 2000;

  @Test
  void everyFieldOfAppSpecIsInTheTable() {
    Set<String> inTable = new TreeSet<>();
    SpecFields.all().forEach(f -> inTable.addAll(f.protoFields()));
    List<String> missing = new ArrayList<>();
    for (String leaf : leaves(AppSpec.getDescriptor(), "")) {
      if (!inTable.contains(leaf)) {
        missing.add(leaf);
      }
    }
    assertEquals(List.of(), missing, "AppSpec fields no entry of SpecFields stands for: add one for each");
  }

  @Test
  void everyEntryStandsForFieldsOfAppSpecAndEveryMappingForANestedMessage() {
    List<String> leaves = leaves(AppSpec.getDescriptor(), "");
    for (SpecField<?> field : SpecFields.all()) {
      assertTrue(leaves.containsAll(field.protoFields()), field.path() + " names " + field.protoFields());
    }
    for (SpecSection section : SpecSection.values()) {
      FieldDescriptor message = AppSpec.getDescriptor().findFieldByName(section.key());
      assertEquals(FieldDescriptor.JavaType.MESSAGE, message.getJavaType(), section.key());
    }
    List<String> paths = SpecFields.all().stream().map(SpecField::path).toList();
    assertEquals(List.of("name", "source", "gunicorn.app", "gunicorn.workers", "gunicorn.timeout",
        "gunicorn.graceful_timeout", "gunicorn.worker_class", "gunicorn.threads", "gunicorn.max_requests",
        "nginx.domains", "nginx.static", "nginx.client_max_body_size", "nginx.tls", "nginx.hsts", "nginx.behind_proxy",
        "health.path", "health.interval", "health.timeout", "health.failures", "health.start_timeout", "env",
        "secrets", "placement.labels", "placement.count", "update.max_parallel", "update.min_healthy", "update.deadline",
        "update.auto_revert", "user", "python", "build.command", "processes"), paths);
  }

  /** The fields of {@code type} that hold values, through the spec's own nested messages, as dotted paths. */
  private static List<String> leaves(Descriptor type, String prefix) {
    List<String> leaves = new ArrayList<>();
    for (FieldDescriptor f : type.getFields()) {
      boolean nested = f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isMapField()
          && f.getMessageType().getFullName().startsWith("drover.v1.");
      if (nested) {
        leaves.addAll(leaves(f.getMessageType(), prefix + f.getName() + "."));
      } else {
        leaves.add(prefix + f.getName());
      }
    }
    return leaves;
  }

  @Test
  void theRuntimeSpecIsAllButPlacementAndUpdate() {
    RandomSpecs specs = RandomSpecs.seeded();
    for (int i = 0; i < CASES; i++) {
      AppSpec spec = specs.valid();
      assertEquals(spec.toBuilder().clearPlacement().clearUpdate().build(), SpecFields.runtime(spec), specs.rerun());
    }
    assertEquals(List.of("placement.labels", "placement.count", "update.max_parallel", "update.min_healthy",
            "update.deadline", "update.auto_revert"),
        SpecFields.all().stream().filter(f -> !f.runtime()).map(SpecField::path).toList());
  }

  @Test
  void secretsAreMaskedAndNothingElse() {
    AppSpec plain = AppSpec.newBuilder().setName("hello").putEnv("A", "1").build();
    assertSame(plain, SpecFields.masked(plain));
    AppSpec secret = plain.toBuilder().putSecrets("API_KEY", "hunter2").putSecrets("B", "x").build();
    assertEquals(plain.toBuilder().putSecrets("API_KEY", "(secret)").putSecrets("B", "(secret)").build(),
        SpecFields.masked(secret));
    assertEquals(List.of("nginx.tls", "secrets"), SpecFields.all().stream().filter(SpecField::secret).map(SpecField::path).toList());
  }

  @Test
  void changesAreEmptyExactlyWhenTheSpecsAreEqual() {
    RandomSpecs specs = RandomSpecs.seeded();
    int equal = 0;
    for (int i = 0; i < CASES; i++) {
      AppSpec a = specs.valid();
      AppSpec b = specs.variant(a);
      List<String> changes = SpecFields.changes(a, b);
      assertEquals(a.equals(b), changes.isEmpty(), () -> specs.rerun() + ": changes " + changes + " between\n" + a + "and\n" + b);
      assertEquals(changes, SpecFields.changes(b, a), specs.rerun());
      equal += a.equals(b) ? 1 : 0;
    }
    assertTrue(equal > CASES / 50 && equal < CASES / 2, "equal pairs: " + equal + ", " + specs.rerun());
  }

  @Test
  void everyChangeShowsADifferentValueBeforeAndAfterButSecretsNone() {
    RandomSpecs specs = RandomSpecs.seeded();
    for (int i = 0; i < CASES; i++) {
      AppSpec a = specs.valid();
      AppSpec b = specs.variant(a);
      for (String change : SpecFields.changes(a, b)) {
        String before = SpecFields.render(a, change);
        String after = SpecFields.render(b, change);
        String context = specs.rerun() + ": " + change + ": " + before + " -> " + after;
        if (change.startsWith("secrets.")) {
          assertTrue(Set.of("", "(secret)").containsAll(List.of(before, after)), context);
        } else {
          assertNotEquals(before, after, context);
        }
      }
    }
  }

  @Test
  void changesAreNamedAsInYamlInTableOrder() {
    AppSpec before = AppSpec.newBuilder().setName("hello").setBundleSha256("a".repeat(64)).putEnv("A", "1")
        .setPlacement(PlacementSpec.newBuilder().setCount(2)).build();
    AppSpec after = before.toBuilder().setBundleSha256("b".repeat(64)).putEnv("A", "2").putEnv("B", "")
        .setUser("www-data").setPlacement(PlacementSpec.newBuilder().setAll(true))
        .setUpdate(UpdateSpec.newBuilder().setDeadline(Duration.newBuilder().setSeconds(5400))).build();
    assertEquals(List.of("source", "env.A", "env.B", "placement.count", "update.deadline", "user"),
        SpecFields.changes(before, after));
    assertEquals(List.of("update"), SpecFields.changes(before, before.toBuilder().setUpdate(UpdateSpec.getDefaultInstance()).build()));
  }

  @Test
  void valuesAreShownAsTheYamlWritesThem() {
    AppSpec spec = AppSpec.newBuilder()
        .setName("hello")
        .setBundleSha256("0123456789abcdef".repeat(4))
        .setGunicorn(GunicornSpec.newBuilder().setApp("app:app"))
        .putEnv("GREETING", "say \"hi\"").putEnv("EMPTY", "")
        .putSecrets("API_KEY", "v1:sealed")
        .setPlacement(PlacementSpec.newBuilder().putLabels("zone", "a").putLabels("role", "web").setAll(true))
        .setUpdate(UpdateSpec.newBuilder().setMinHealthy(Duration.getDefaultInstance())
            .setDeadline(Duration.newBuilder().setSeconds(5400)).setAutoRevert(false))
        .setUser("www-data")
        .build();
    Map<String, String> expected = Map.ofEntries(
        Map.entry("source", "0123456789ab"),
        Map.entry("gunicorn.app", "\"app:app\""),
        Map.entry("gunicorn.workers", "auto"),
        Map.entry("nginx.domains", ""),
        Map.entry("health.path", ""),
        Map.entry("env.GREETING", "\"say \\\"hi\\\"\""),
        Map.entry("env.EMPTY", "\"\""),
        Map.entry("env.NONE", ""),
        Map.entry("secrets.API_KEY", "(secret)"),
        Map.entry("secrets.NONE", ""),
        Map.entry("placement.labels", "{role=web, zone=a}"),
        Map.entry("placement.count", "all"),
        Map.entry("update.max_parallel", ""),
        Map.entry("update.min_healthy", "0s"),
        Map.entry("update.deadline", "1h30m"),
        Map.entry("update.auto_revert", "false"),
        Map.entry("update", "{}"),
        Map.entry("user", "\"www-data\""));
    expected.forEach((change, shown) -> assertEquals(shown, SpecFields.render(spec, change), change));
    assertEquals("", SpecFields.render(spec.toBuilder().clearUpdate().build(), "update"));
  }
}
