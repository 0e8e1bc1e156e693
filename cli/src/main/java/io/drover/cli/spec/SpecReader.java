package io.drover.cli.spec;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.GunicornSpec;
import io.drover.api.v1.HealthSpec;
import io.drover.api.v1.NginxSpec;
import io.drover.api.v1.PlacementSpec;
import io.drover.api.v1.UpdateSpec;
import io.drover.spec.SpecRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads an app spec YAML file strictly: unknown keys, wrong types and every {@link SpecRules}
 * problem are collected and reported together, each naming its field.
 */
public final class SpecReader {
  private static final ObjectMapper YAML =
      new ObjectMapper(YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
  private static final String WORKERS = "must be a positive integer or \"auto\"";
  private static final String COUNT = "must be at least 1 or \"all\"";

  private final List<String> problems = new ArrayList<>();

  private SpecReader() {}

  /** Reads and checks {@code file}; {@code source} is resolved against the file's directory. */
  public static SpecFile read(Path file) throws InvalidSpecException {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new InvalidSpecException(file, List.of("no such file"));
    } catch (JacksonException e) {
      throw new InvalidSpecException(file, List.of(describe(e)));
    } catch (IOException e) {
      throw new InvalidSpecException(file, List.of("cannot read: " + e.getMessage()));
    }
    return new SpecReader().toSpecFile(file, root);
  }

  private SpecFile toSpecFile(Path file, JsonNode root) throws InvalidSpecException {
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new InvalidSpecException(file, List.of("empty spec"));
    }
    if (!root.isObject()) {
      throw new InvalidSpecException(file, List.of("must be a mapping with name, source, gunicorn, nginx, health, env, secrets, placement, update, user"));
    }
    AppSpec.Builder spec = AppSpec.newBuilder();
    Path source = null;
    onlyKeys(root, "", "name", "source", "gunicorn", "nginx", "health", "env", "secrets", "placement", "update", "user");
    text(root, "name", "name").ifPresent(spec::setName);
    String sourceText = text(root, "source", "source").orElse(null);
    if (!root.has("source")) {
      problems.add("source: required");
    } else if (sourceText != null) {
      Path dir = file.toAbsolutePath().getParent().resolve(sourceText).normalize();
      if (!Files.isDirectory(dir)) {
        problems.add("source: " + sourceText + " is not a directory");
      } else {
        source = dir;
      }
    }
    section(root, "gunicorn", g -> spec.setGunicorn(gunicorn(g)));
    section(root, "nginx", n -> spec.setNginx(nginx(n)));
    section(root, "health", h -> text(h, "path", "health.path").ifPresent(p -> spec.setHealth(HealthSpec.newBuilder().setPath(p))));
    section(root, "env", env -> spec.putAllEnv(scalars(env, "env")));
    secrets(root.get("secrets")).ifPresent(spec::putAllSecrets);
    section(root, "placement", p -> spec.setPlacement(placement(p)));
    section(root, "update", u -> spec.setUpdate(update(u)));
    text(root, "user", "user").ifPresent(spec::setUser);

    AppSpec built = spec.build();
    Set<String> reported = new HashSet<>();
    problems.forEach(p -> reported.add(field(p)));
    for (String rule : SpecRules.checkBeforeBundle(built)) {
      if (reported.stream().noneMatch(f -> field(rule).equals(f) || field(rule).startsWith(f + ".") || field(rule).startsWith(f + "["))) {
        problems.add(rule);
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(file, problems);
    }
    return new SpecFile(file, built, source);
  }

  private GunicornSpec gunicorn(JsonNode node) {
    GunicornSpec.Builder g = GunicornSpec.newBuilder();
    onlyKeys(node, "gunicorn.", "app", "workers");
    text(node, "app", "gunicorn.app").ifPresent(g::setApp);
    JsonNode workers = node.get("workers");
    if (workers == null || workers.isNull() || "auto".equals(workers.textValue())) {
      g.setWorkers(0);
    } else if (workers.isIntegralNumber() && workers.canConvertToInt() && workers.intValue() >= 1) {
      g.setWorkers(workers.intValue());
    } else {
      problems.add("gunicorn.workers: " + WORKERS + ", got " + shown(workers));
    }
    return g.build();
  }

  private NginxSpec nginx(JsonNode node) {
    NginxSpec.Builder n = NginxSpec.newBuilder();
    onlyKeys(node, "nginx.", "domains");
    JsonNode domains = node.get("domains");
    if (domains == null || domains.isNull()) {
      return n.build();
    }
    if (!domains.isArray()) {
      problems.add("nginx.domains: must be a list of domain names, e.g. [hello.example.com]");
      return n.build();
    }
    for (int i = 0; i < domains.size(); i++) {
      JsonNode domain = domains.get(i);
      if (domain.isTextual()) {
        n.addDomains(domain.textValue());
      } else {
        problems.add("nginx.domains[" + i + "]: must be a string, got " + shown(domain));
      }
    }
    return n.build();
  }

  private PlacementSpec placement(JsonNode node) {
    PlacementSpec.Builder p = PlacementSpec.newBuilder();
    onlyKeys(node, "placement.", "labels", "count");
    JsonNode labels = node.get("labels");
    if (labels != null && !labels.isNull()) {
      if (labels.isObject()) {
        p.putAllLabels(scalars(labels, "placement.labels"));
      } else {
        problems.add("placement.labels: must be a mapping of label to value, e.g. {role: web}");
      }
    }
    JsonNode count = node.get("count");
    if (count == null || count.isNull()) {
      problems.add("placement.count: required (" + COUNT + ")");
    } else if ("all".equals(count.textValue())) {
      p.setAll(true);
    } else if (count.isIntegralNumber() && count.canConvertToInt() && count.intValue() >= 1) {
      p.setCount(count.intValue());
    } else {
      problems.add("placement.count: " + COUNT + ", got " + shown(count));
    }
    return p.build();
  }

  private UpdateSpec update(JsonNode node) {
    UpdateSpec.Builder u = UpdateSpec.newBuilder();
    onlyKeys(node, "update.", "max_parallel", "min_healthy", "deadline", "auto_revert");
    JsonNode parallel = node.get("max_parallel");
    if (parallel != null && !parallel.isNull()) {
      if (parallel.isIntegralNumber() && parallel.canConvertToInt() && parallel.intValue() >= 1) {
        u.setMaxParallel(parallel.intValue());
      } else {
        problems.add("update.max_parallel: must be a positive integer, got " + shown(parallel));
      }
    }
    duration(node, "min_healthy", true).ifPresent(u::setMinHealthy);
    duration(node, "deadline", false).ifPresent(u::setDeadline);
    JsonNode revert = node.get("auto_revert");
    if (revert != null && !revert.isNull()) {
      if (revert.isBoolean()) {
        u.setAutoRevert(revert.booleanValue());
      } else {
        problems.add("update.auto_revert: must be true or false, got " + shown(revert));
      }
    }
    return u.build();
  }

  /** A duration such as {@code 5s}, {@code 500ms}, {@code 2m} or {@code 1h30m}. */
  private Optional<com.google.protobuf.Duration> duration(JsonNode parent, String key, boolean zeroAllowed) {
    JsonNode node = parent.get(key);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    Duration value = node.isTextual() ? DurationText.parse(node.textValue()) : null;
    if (value == null || (!zeroAllowed && value.isZero())) {
      problems.add("update." + key + ": must be a duration like " + (zeroAllowed ? "0s, " : "") + "500ms, 5s or 2m, got "
          + shown(node));
      return Optional.empty();
    }
    return Optional.of(com.google.protobuf.Duration.newBuilder()
        .setSeconds(value.getSeconds()).setNanos(value.getNano()).build());
  }

  /** The {@code secrets} mapping, like {@code env}; its problems never show a value. */
  private Optional<Map<String, String>> secrets(JsonNode node) {
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isObject()) {
      problems.add("secrets: must be a mapping of NAME: value");
      return Optional.empty();
    }
    return Optional.of(scalars(node, "secrets"));
  }

  /** Calls {@code read} with the section when present and a mapping; reports it otherwise. */
  private void section(JsonNode root, String key, Consumer<JsonNode> read) {
    JsonNode node = root.get(key);
    if (node == null || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      problems.add(key + ": must be a mapping, got " + shown(node));
      return;
    }
    read.accept(node);
  }

  private Optional<String> text(JsonNode parent, String key, String path) {
    JsonNode node = parent.get(key);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      problems.add(path + ": must be a string, got " + shown(node));
      return Optional.empty();
    }
    return Optional.of(node.textValue());
  }

  /** A mapping of names to scalars (strings, numbers, booleans), each rendered as a string. */
  private Map<String, String> scalars(JsonNode node, String path) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      JsonNode value = e.getValue();
      if (value.isTextual() || value.isNumber() || value.isBoolean()) {
        values.put(e.getKey(), value.asText());
      } else {
        problems.add(path + "." + e.getKey() + ": must be a string, number or boolean, got " + shown(value));
      }
    }
    return values;
  }

  private void onlyKeys(JsonNode node, String prefix, String... allowed) {
    List<String> known = List.of(allowed);
    for (Map.Entry<String, JsonNode> property : node.properties()) {
      String key = property.getKey();
      if (!known.contains(key)) {
        problems.add(prefix + key + ": unknown key (expected " + String.join(", ", known) + ")");
      }
    }
  }

  private static String field(String problem) {
    int colon = problem.indexOf(": ");
    return colon < 0 ? problem : problem.substring(0, colon);
  }

  private static String shown(JsonNode node) {
    if (node.isNull()) {
      return "nothing";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    if (node.isArray()) {
      return "a list";
    }
    return node.isTextual() ? "\"" + node.textValue() + "\"" : node.asText();
  }

  private static String describe(JacksonException e) {
    JsonLocation where = e.getLocation();
    String message = e.getOriginalMessage();
    int firstLine = message.indexOf('\n');
    if (firstLine > 0) {
      message = message.substring(0, firstLine);
    }
    return where == null || where.getLineNr() < 1
        ? "not valid YAML: " + message
        : "line " + where.getLineNr() + ": not valid YAML: " + message;
  }
}
