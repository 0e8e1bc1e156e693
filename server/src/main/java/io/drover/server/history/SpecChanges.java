package io.drover.server.history;

import io.drover.api.v1.AppSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The spec fields that differ between two revisions, named as in the YAML spec, e.g. {@code
 * [env.GREETING, placement.count]}; {@code source} when the bundle differs; {@code secrets.NAME} when
 * a secret was added, removed or changed (by name only). A pure function.
 */
public final class SpecChanges {
  private SpecChanges() {}

  /** What changed from {@code before} to {@code after}; {@code before} null means the first revision. */
  public static List<String> between(AppSpec before, AppSpec after) {
    if (before == null) {
      return List.of("created");
    }
    List<String> changes = new ArrayList<>();
    differs(changes, "source", before.getBundleSha256(), after.getBundleSha256());
    differs(changes, "gunicorn.app", before.getGunicorn().getApp(), after.getGunicorn().getApp());
    differs(changes, "gunicorn.workers", before.getGunicorn().getWorkers(), after.getGunicorn().getWorkers());
    differs(changes, "nginx.domains", before.getNginx().getDomainsList(), after.getNginx().getDomainsList());
    differs(changes, "health.path", before.getHealth().getPath(), after.getHealth().getPath());
    TreeSet<String> env = new TreeSet<>(before.getEnvMap().keySet());
    env.addAll(after.getEnvMap().keySet());
    for (String name : env) {
      differs(changes, "env." + name, before.getEnvMap().get(name), after.getEnvMap().get(name));
    }
    TreeSet<String> secrets = new TreeSet<>(before.getSecretsMap().keySet());
    secrets.addAll(after.getSecretsMap().keySet());
    for (String name : secrets) {
      // stored values are sealed, and an unchanged secret keeps its sealed value: equal means unchanged
      differs(changes, "secrets." + name, before.getSecretsMap().get(name), after.getSecretsMap().get(name));
    }
    differs(changes, "placement.labels", before.getPlacement().getLabelsMap(), after.getPlacement().getLabelsMap());
    differs(changes, "placement.count",
        before.getPlacement().getAll() + "/" + before.getPlacement().getCount(),
        after.getPlacement().getAll() + "/" + after.getPlacement().getCount());
    differs(changes, "user", before.getUser(), after.getUser());
    var u1 = before.getUpdate();
    var u2 = after.getUpdate();
    differs(changes, "update.max_parallel", u1.getMaxParallel(), u2.getMaxParallel());
    differs(changes, "update.min_healthy", u1.hasMinHealthy() ? u1.getMinHealthy() : null,
        u2.hasMinHealthy() ? u2.getMinHealthy() : null);
    differs(changes, "update.deadline", u1.hasDeadline() ? u1.getDeadline() : null,
        u2.hasDeadline() ? u2.getDeadline() : null);
    differs(changes, "update.auto_revert", u1.hasAutoRevert() ? u1.getAutoRevert() : null,
        u2.hasAutoRevert() ? u2.getAutoRevert() : null);
    return changes;
  }

  private static void differs(List<String> changes, String field, Object a, Object b) {
    if (!Objects.equals(a, b)) {
      changes.add(field);
    }
  }
}
