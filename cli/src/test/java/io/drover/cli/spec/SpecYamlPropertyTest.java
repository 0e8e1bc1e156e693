package io.drover.cli.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.drover.api.v1.App;
import io.drover.api.v1.AppSpec;
import io.drover.spec.RandomSpecs;
import io.drover.spec.SpecFields;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code drover get} writes, {@code drover apply} reads back as the same spec. */
class SpecYamlPropertyTest {
  private static final int CASES = 500;

  @TempDir Path dir;

  @Test
  void aWrittenSpecReadsBackAsItselfButForSecretsAndTheBundle() throws Exception {
    Files.createDirectories(dir.resolve("app"));
    RandomSpecs specs = RandomSpecs.seeded();
    for (int i = 0; i < CASES; i++) {
      AppSpec spec = specs.valid();
      String yaml = SpecYaml.write(App.newBuilder().setName(spec.getName()).setRevision(1 + i).setSpec(spec).build());
      Path file = Files.writeString(dir.resolve("spec-" + i + ".yaml"), yaml + "source: ./app\n");
      AppSpec read;
      try {
        read = SpecReader.read(file).spec();
      } catch (InvalidSpecException e) {
        throw new AssertionError(specs.rerun() + ": the written spec does not read back:\n" + yaml + e.getMessage(), e);
      }
      assertEquals(SpecFields.masked(spec).toBuilder().clearBundleSha256().build(), read, specs.rerun() + ":\n" + yaml);
    }
  }
}
