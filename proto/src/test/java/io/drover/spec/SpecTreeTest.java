package io.drover.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.drover.api.v1.AppSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading and writing spec documents as trees, without YAML. */
class SpecTreeTest {
  private static final int CASES = 2000;

  @Test
  void aWrittenSpecReadsBackAsItselfButForSecretsAndTheBundle() {
    RandomSpecs specs = RandomSpecs.seeded();
    for (int i = 0; i < CASES; i++) {
      AppSpec spec = specs.valid();
      SpecTree.Read read = SpecTree.read(withSource(SpecTree.write(spec)), source -> null);
      assertEquals(List.of(), read.problems(), specs.rerun());
      assertEquals(SpecFields.masked(spec).toBuilder().clearBundleSha256().build(), read.spec(), specs.rerun());
      assertEquals("./app", read.source());
    }
  }

  private static SpecNode withSource(SpecNode.Mapping written) {
    Map<String, SpecNode> entries = new LinkedHashMap<>(written.entries());
    entries.put("source", new SpecNode.Text("./app"));
    return new SpecNode.Mapping(entries);
  }

  @Test
  void aMistypedKeyGetsAHintWhenOneIsClose() {
    SpecNode gunicorn = new SpecNode.Mapping(Map.of("app", new SpecNode.Text("app:app"), "wokers", SpecNode.Number.of(2)));
    SpecNode health = new SpecNode.Mapping(Map.of("pth", new SpecNode.Text("/healthz")));
    SpecNode root = new SpecNode.Mapping(Map.of("gunicorn", gunicorn, "helth", health, "source", new SpecNode.Text(".")));
    List<String> problems = SpecTree.read(root, source -> null).problems();
    assertEquals("helth: unknown key (expected name, source, gunicorn, nginx, health, env, secrets, placement, update, "
        + "user, python, build, processes; did you mean health?)", problems.get(0));
    assertEquals("gunicorn.wokers: unknown key (expected app, workers, timeout, graceful_timeout, worker_class, threads, max_requests; did you mean workers?)", problems.get(1));
  }

  @Test
  void keysOfEveryMappingAreChecked() {
    SpecNode health = new SpecNode.Mapping(Map.of("path", new SpecNode.Text("/healthz"), "pth", new SpecNode.Text("/")));
    SpecNode root = new SpecNode.Mapping(Map.of("health", health));
    List<String> problems = SpecTree.read(root, source -> null).problems();
    assertEquals(List.of("health.pth: unknown key (expected path, interval, timeout, failures, start_timeout; did you mean path?)"),
        problems.stream().filter(p -> p.startsWith("health.")).toList(), problems.toString());
  }
}
