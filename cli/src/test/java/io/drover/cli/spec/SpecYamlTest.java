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
}
