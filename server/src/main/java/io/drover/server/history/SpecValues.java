package io.drover.server.history;

import io.drover.api.v1.AppSpec;
import io.drover.spec.SpecFields;

/**
 * The value of one spec field as the YAML spec writes it, for the fields {@link SpecChanges} names:
 * strings quoted ({@code "Hello"}), {@code all} or a number for {@code placement.count}, durations as
 * {@code 30s} or {@code 1h30m}, the bundle digest shortened to 12 hex digits, {@code (secret)} for a
 * secret (never its value); empty when the field is unset. A pure function of {@link SpecFields}.
 */
public final class SpecValues {
  private SpecValues() {}

  public static String of(AppSpec spec, String field) {
    return SpecFields.render(spec, field);
  }
}
