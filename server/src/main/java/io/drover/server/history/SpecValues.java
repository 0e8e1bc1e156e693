package io.drover.server.history;

import io.drover.api.v1.AppSpec;
import io.drover.server.placement.Placement;
import io.drover.server.rollout.RolloutPlanner;
import io.drover.server.secrets.SpecSecrets;
import java.time.Duration;

/**
 * The value of one spec field as the YAML spec writes it, for the fields {@link SpecChanges} names:
 * strings quoted ({@code "Hello"}), {@code all} or a number for {@code placement.count}, durations as
 * {@code 30s}, the bundle digest shortened to 12 hex digits, {@code (secret)} for a secret (never its
 * value); empty when the field is unset. A pure function.
 */
public final class SpecValues {
  private SpecValues() {}

  public static String of(AppSpec spec, String field) {
    if (field.startsWith("env.")) {
      String value = spec.getEnvMap().get(field.substring("env.".length()));
      return value == null ? "" : quote(value);
    }
    if (field.startsWith("secrets.")) {
      return spec.getSecretsMap().containsKey(field.substring("secrets.".length())) ? SpecSecrets.MASK : "";
    }
    var update = spec.getUpdate();
    return switch (field) {
      case "source" -> spec.getBundleSha256().substring(0, Math.min(12, spec.getBundleSha256().length()));
      case "gunicorn.app" -> quote(spec.getGunicorn().getApp());
      case "gunicorn.workers" -> number(spec.getGunicorn().getWorkers());
      case "nginx.domains" -> spec.getNginx().getDomainsCount() == 0 ? "" : spec.getNginx().getDomainsList().toString();
      case "health.path" -> quote(spec.getHealth().getPath());
      case "placement.labels" ->
          spec.getPlacement().getLabelsCount() == 0 ? "" : Placement.describe(spec.getPlacement());
      case "placement.count" -> spec.getPlacement().getAll() ? "all" : number(spec.getPlacement().getCount());
      case "update.max_parallel" -> number(update.getMaxParallel());
      case "update.min_healthy" -> update.hasMinHealthy() ? duration(update.getMinHealthy()) : "";
      case "update.deadline" -> update.hasDeadline() ? duration(update.getDeadline()) : "";
      case "update.auto_revert" -> update.hasAutoRevert() ? Boolean.toString(update.getAutoRevert()) : "";
      default -> "";
    };
  }

  private static String quote(String s) {
    return s.isEmpty() ? "" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String number(int n) {
    return n == 0 ? "" : Integer.toString(n);
  }

  private static String duration(com.google.protobuf.Duration d) {
    return RolloutPlanner.describe(Duration.ofSeconds(d.getSeconds(), d.getNanos()));
  }
}
