package io.drover.cli.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.drover.api.v1.App;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.UpdateSpec;
import java.util.TreeMap;

/**
 * Writes a stored app back in the spec file format; {@code source} is replaced by a comment naming
 * the bundle, since the server keeps the bundle, not the directory; each secret shows its name with
 * {@link #SECRET} for a value, whatever the server sent.
 */
public final class SpecYaml {
  /** What is shown instead of a secret's value. */
  public static final String SECRET = "(secret)";

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .build());

  private SpecYaml() {}

  public static String write(App app) {
    AppSpec spec = app.getSpec();
    ObjectNode root = YAML.createObjectNode();
    root.put("name", spec.getName());
    ObjectNode gunicorn = root.putObject("gunicorn");
    gunicorn.put("app", spec.getGunicorn().getApp());
    if (spec.getGunicorn().getWorkers() == 0) {
      gunicorn.put("workers", "auto");
    } else {
      gunicorn.put("workers", spec.getGunicorn().getWorkers());
    }
    spec.getNginx().getDomainsList().forEach(root.putObject("nginx").putArray("domains")::add);
    root.putObject("health").put("path", spec.getHealth().getPath());
    if (spec.getEnvCount() > 0) {
      ObjectNode env = root.putObject("env");
      new TreeMap<>(spec.getEnvMap()).forEach(env::put);
    }
    if (spec.getSecretsCount() > 0) {
      ObjectNode secrets = root.putObject("secrets");
      new TreeMap<>(spec.getSecretsMap()).keySet().forEach(name -> secrets.put(name, SECRET));
    }
    ObjectNode placement = root.putObject("placement");
    if (spec.getPlacement().getLabelsCount() > 0) {
      ObjectNode labels = placement.putObject("labels");
      new TreeMap<>(spec.getPlacement().getLabelsMap()).forEach(labels::put);
    }
    if (spec.getPlacement().getAll()) {
      placement.put("count", "all");
    } else {
      placement.put("count", spec.getPlacement().getCount());
    }
    if (!spec.getUser().isEmpty()) {
      root.put("user", spec.getUser());
    }
    if (spec.hasUpdate()) {
      UpdateSpec u = spec.getUpdate();
      ObjectNode update = root.putObject("update");
      if (u.getMaxParallel() > 0) {
        update.put("max_parallel", u.getMaxParallel());
      }
      if (u.hasMinHealthy()) {
        update.put("min_healthy", text(u.getMinHealthy()));
      }
      if (u.hasDeadline()) {
        update.put("deadline", text(u.getDeadline()));
      }
      if (u.hasAutoRevert()) {
        update.put("auto_revert", u.getAutoRevert());
      }
    }
    try {
      return "# revision " + app.getRevision() + ", bundle sha256 " + spec.getBundleSha256() + "\n" + YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the spec of " + spec.getName() + " as YAML", e);
    }
  }

  /** The app with every secret value replaced by {@link #SECRET}. */
  public static App masked(App app) {
    if (app.getSpec().getSecretsCount() == 0) {
      return app;
    }
    AppSpec.Builder spec = app.getSpec().toBuilder().clearSecrets();
    app.getSpec().getSecretsMap().keySet().forEach(name -> spec.putSecrets(name, SECRET));
    return app.toBuilder().setSpec(spec).build();
  }

  /** A duration as the spec file writes it: {@code 500ms}, {@code 5s}, {@code 2m}. */
  static String text(com.google.protobuf.Duration d) {
    return DurationText.format(java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos()));
  }
}
