package io.drover.cli.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Duration;
import io.drover.api.v1.App;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.PlacementSpec;
import io.drover.api.v1.UpdateSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecYamlTest {
  @TempDir Path dir;

  @Test
  void theUpdateBlockIsWrittenAsTheSpecFileReadsIt() throws Exception {
    AppSpec spec = AppSpec.newBuilder()
        .setName("hello")
        .setBundleSha256("a".repeat(64))
        .setGunicorn(io.drover.api.v1.GunicornSpec.newBuilder().setApp("app:app"))
        .setNginx(io.drover.api.v1.NginxSpec.newBuilder().addDomains("hello.local"))
        .setHealth(io.drover.api.v1.HealthSpec.newBuilder().setPath("/healthz"))
        .setPlacement(PlacementSpec.newBuilder().setCount(2))
        .setUser("www-data")
        .putEnv("EVIL", "a\"b'c; } # $host %(x)s \\ ü")
        .setUpdate(UpdateSpec.newBuilder().setMaxParallel(3).setMinHealthy(Duration.newBuilder().setNanos(500_000_000))
            .setDeadline(Duration.newBuilder().setSeconds(120)).setAutoRevert(false))
        .build();
    String yaml = SpecYaml.write(App.newBuilder().setName("hello").setRevision(2).setSpec(spec).build());
    Files.createDirectories(dir.resolve("app"));
    Path file = Files.writeString(dir.resolve("hello.yaml"), yaml + "source: ./app\n");
    AppSpec read = SpecReader.read(file).spec();
    assertEquals(spec.getUpdate(), read.getUpdate());
    assertEquals(spec.toBuilder().clearBundleSha256().build(), read);

    String plain = SpecYaml.write(App.newBuilder().setName("hello").setRevision(1)
        .setSpec(spec.toBuilder().clearUpdate()).build());
    assertFalse(plain.contains("update"), plain);
  }

  @Test
  void secretsAreWrittenByNameOnly() {
    AppSpec spec = AppSpec.newBuilder().setName("hello").putSecrets("API_KEY", "hunter2").putSecrets("B", "x").build();
    App app = App.newBuilder().setName("hello").setRevision(1).setSpec(spec).build();
    String yaml = SpecYaml.write(app);
    assertTrue(yaml.contains("secrets:\n  API_KEY: (secret)\n  B: (secret)\n"), yaml);
    assertFalse(yaml.contains("hunter2"), yaml);
    assertEquals(java.util.Map.of("API_KEY", "(secret)", "B", "(secret)"), SpecYaml.masked(app).getSpec().getSecretsMap());
  }

  @Test
  void everyFieldIsWrittenAsTheSpecFileWritesIt() {
    AppSpec spec = AppSpec.newBuilder()
        .setName("hello")
        .setBundleSha256("a".repeat(64))
        .setGunicorn(io.drover.api.v1.GunicornSpec.newBuilder().setApp("app:app").setWorkers(3))
        .setNginx(io.drover.api.v1.NginxSpec.newBuilder().addDomains("hello.local").addDomains("*.hello.example.com"))
        .setHealth(io.drover.api.v1.HealthSpec.newBuilder().setPath("/healthz"))
        .putEnv("B", "two words").putEnv("A", "1")
        .putSecrets("API_KEY", "sealed")
        .setPlacement(PlacementSpec.newBuilder().putLabels("role", "web").setAll(true))
        .setUser("www-data")
        .setUpdate(UpdateSpec.newBuilder().setMinHealthy(Duration.newBuilder().setSeconds(5400))
            .setDeadline(Duration.newBuilder().setSeconds(90).setNanos(500_000_000)))
        .build();
    assertEquals("""
        # revision 7, bundle sha256 %s
        name: hello
        gunicorn:
          app: app:app
          workers: 3
        nginx:
          domains:
          - hello.local
          - '*.hello.example.com'
        health:
          path: /healthz
        env:
          A: 1
          B: two words
        secrets:
          API_KEY: (secret)
        placement:
          labels:
            role: web
          count: all
        update:
          min_healthy: 1h30m
          deadline: 90500ms
        user: www-data
        """.formatted("a".repeat(64)), SpecYaml.write(App.newBuilder().setName("hello").setRevision(7).setSpec(spec).build()));
  }

  @Test
  void stringsThatLookLikeNumbersOrBooleansAreQuotedAndReadBack() throws Exception {
    AppSpec spec = AppSpec.newBuilder()
        .setName("hello")
        .setGunicorn(io.drover.api.v1.GunicornSpec.newBuilder().setApp("app:app"))
        .setNginx(io.drover.api.v1.NginxSpec.newBuilder().addDomains("123").addDomains("1e5"))
        .setHealth(io.drover.api.v1.HealthSpec.newBuilder().setPath("/healthz"))
        .putEnv("PORT", "8000").putEnv("RATIO", "0.50").putEnv("MODE", "007").putEnv("DEBUG", "no").putEnv("NONE", "~")
        .setPlacement(PlacementSpec.newBuilder().setCount(1))
        .setUser("y")
        .build();
    String yaml = SpecYaml.write(App.newBuilder().setName("hello").setRevision(1).setSpec(spec).build());
    for (String line : java.util.List.of("  PORT: 8000\n", "  RATIO: \"0.50\"\n", "  - \"123\"\n", "  - \"1e5\"\n")) {
      assertTrue(yaml.contains(line), line + " in\n" + yaml);
    }
    Files.createDirectories(dir.resolve("app"));
    Path file = Files.writeString(dir.resolve("hello.yaml"), yaml + "source: ./app\n");
    assertEquals(spec, SpecReader.read(file).spec());
  }
}
