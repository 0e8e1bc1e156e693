package io.drover.spec;

import io.drover.api.v1.AppSpec;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A mapping of the YAML spec holding some of its fields, e.g. {@code update}: each is one nested
 * message of {@code AppSpec}, set when the spec has the mapping, even an empty one ({@code update:
 * {}} is stored, and hashed, as set).
 */
public enum SpecSection {
  GUNICORN("gunicorn", AppSpec::hasGunicorn, AppSpec.Builder::getGunicornBuilder),
  NGINX("nginx", AppSpec::hasNginx, AppSpec.Builder::getNginxBuilder),
  HEALTH("health", AppSpec::hasHealth, AppSpec.Builder::getHealthBuilder),
  PLACEMENT("placement", AppSpec::hasPlacement, AppSpec.Builder::getPlacementBuilder),
  UPDATE("update", AppSpec::hasUpdate, AppSpec.Builder::getUpdateBuilder),
  BUILD("build", AppSpec::hasBuild, AppSpec.Builder::getBuildBuilder);

  private final String key;
  private final Predicate<AppSpec> present;
  private final Consumer<AppSpec.Builder> set;

  SpecSection(String key, Predicate<AppSpec> present, Consumer<AppSpec.Builder> set) {
    this.key = key;
    this.present = present;
    this.set = set;
  }

  /** Its key in the YAML spec, also the name of its field in {@code AppSpec}. */
  public String key() {
    return key;
  }

  /** Whether {@code spec} has this mapping. */
  public boolean presentIn(AppSpec spec) {
    return present.test(spec);
  }

  /** Marks the mapping as present in {@code spec}, as an empty one until its fields are set. */
  void setIn(AppSpec.Builder spec) {
    set.accept(spec);
  }
}
