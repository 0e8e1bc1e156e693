package io.drover.server.history;

import io.drover.api.v1.AppSpec;
import io.drover.spec.SpecFields;
import java.util.List;

/**
 * The spec fields that differ between two revisions, named as in the YAML spec, e.g. {@code
 * [env.GREETING, placement.count]}; {@code source} when the bundle differs; {@code secrets.NAME} when
 * a secret was added, removed or changed (by name only). A pure function of {@link SpecFields}.
 */
public final class SpecChanges {
  private SpecChanges() {}

  /** What changed from {@code before} to {@code after}; {@code before} null means the first revision. */
  public static List<String> between(AppSpec before, AppSpec after) {
    // stored secret values are sealed, and an unchanged secret keeps its sealed value: equal means unchanged
    return before == null ? List.of("created") : SpecFields.changes(before, after);
  }
}
