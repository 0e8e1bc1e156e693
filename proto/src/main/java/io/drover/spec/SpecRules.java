package io.drover.spec;

import io.drover.api.v1.AppSpec;
import java.util.List;

/**
 * The rules every app spec must follow, checked by the CLI before it sends a spec and by the server
 * before it stores one.
 */
public final class SpecRules {
  private SpecRules() {}

  /**
   * Returns the spec's problems, each naming its field as written in YAML, e.g. {@code
   * gunicorn.workers: must be a positive integer or "auto"}; empty when the spec is valid.
   */
  public static List<String> check(AppSpec spec) {
    return List.of();
  }
}
