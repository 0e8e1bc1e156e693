package io.drover.spec;

import io.drover.api.v1.AppSpec;
import io.drover.api.v1.UpdateSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The rules every app spec must follow, checked by the CLI before it sends a spec and by the server
 * before it stores one.
 */
public final class SpecRules {
  /** The most Gunicorn workers a spec may ask for. */
  public static final int MAX_WORKERS = 256;
  /** The longest env (or secret) value a spec may carry. */
  public static final int MAX_ENV_VALUE_CHARS = 4096;
  /** {@code update.max_parallel} when the spec does not say. */
  public static final int DEFAULT_MAX_PARALLEL = 1;
  /** {@code update.min_healthy} when the spec does not say. */
  public static final Duration DEFAULT_MIN_HEALTHY = Duration.ofSeconds(5);
  /** {@code update.deadline} when the spec does not say. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(5);
  /** The longest {@code update.min_healthy} and {@code update.deadline}. */
  public static final Duration MAX_UPDATE_DURATION = Duration.ofHours(24);

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");
  private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
  private static final String PY_IDENTIFIER = "[A-Za-z_][A-Za-z0-9_]*";
  private static final Pattern WSGI_TARGET =
      Pattern.compile(PY_IDENTIFIER + "(\\." + PY_IDENTIFIER + ")*:" + PY_IDENTIFIER);
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final int MAX_DOMAIN_CHARS = 253;
  private static final Pattern HEALTH_PATH = Pattern.compile("/[A-Za-z0-9._~/-]{0,1023}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");

  private SpecRules() {}

  /**
   * Returns the spec's problems, each naming its field as written in YAML, e.g. {@code
   * gunicorn.workers: must be a positive integer or "auto"}; empty when the spec is valid.
   */
  public static List<String> check(AppSpec spec) {
    List<String> problems = checkBeforeBundle(spec);
    String digest = spec.getBundleSha256();
    if (digest.isEmpty()) {
      problems.add("source: bundle digest missing");
    } else if (!DIGEST.matcher(digest).matches()) {
      problems.add("source: bundle digest must be 64 lowercase hex characters, got " + quote(digest));
    }
    return problems;
  }

  /**
   * Returns the problems of every field but the bundle digest: what the CLI checks before it packs
   * the spec's source.
   */
  public static List<String> checkBeforeBundle(AppSpec spec) {
    List<String> problems = new ArrayList<>();
    checkName(spec, problems);
    checkGunicorn(spec, problems);
    checkNginx(spec, problems);
    checkHealth(spec, problems);
    checkEnv(spec, problems);
    checkSecrets(spec, problems);
    checkPlacement(spec, problems);
    checkUpdate(spec, problems);
    return problems;
  }

  private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");

  /**
   * Why {@code host} is not a valid host name (lower-case letters, digits, '.' and '-', at most 253
   * characters, starting and ending with a letter or digit), or null when it is.
   */
  public static String hostNameProblem(String host) {
    if (host.isEmpty()) {
      return "missing";
    }
    if (!HOST_NAME.matcher(host).matches() || host.contains("..")) {
      return quote(host) + " is not a valid host name (lower-case letters, digits, '.' and '-')";
    }
    return null;
  }

  /** The problems of host labels ("key: …"), each naming the label; empty when all are valid. */
  public static List<String> labelProblems(Map<String, String> labels) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
      if (!LABEL.matcher(e.getKey()).matches()) {
        problems.add(quote(e.getKey()) + ": key " + labelRule());
      }
      if (!LABEL.matcher(e.getValue()).matches()) {
        problems.add(e.getKey() + ": value " + quote(e.getValue()) + " " + labelRule());
      }
    }
    return problems;
  }

  /** Whether {@code name} is a valid app name. */
  public static boolean isValidName(String name) {
    return NAME.matcher(name).matches();
  }

  private static void checkName(AppSpec spec, List<String> problems) {
    if (spec.getName().isEmpty()) {
      problems.add("name: required");
    } else if (!isValidName(spec.getName())) {
      problems.add("name: must match [a-z][a-z0-9-]{0,39}, got " + quote(spec.getName()));
    }
  }

  private static void checkGunicorn(AppSpec spec, List<String> problems) {
    String app = spec.getGunicorn().getApp();
    if (app.isEmpty()) {
      problems.add("gunicorn.app: required");
    } else if (!WSGI_TARGET.matcher(app).matches()) {
      problems.add("gunicorn.app: must be module:callable, e.g. app:app or mysite.wsgi:application, got " + quote(app));
    }
    int workers = spec.getGunicorn().getWorkers();
    if (workers < 0 || workers > MAX_WORKERS) {
      problems.add("gunicorn.workers: must be a positive integer or \"auto\" (at most " + MAX_WORKERS + "), got " + workers);
    }
  }

  private static void checkNginx(AppSpec spec, List<String> problems) {
    List<String> domains = spec.getNginx().getDomainsList();
    if (domains.isEmpty()) {
      problems.add("nginx.domains: at least one domain");
    }
    for (int i = 0; i < domains.size(); i++) {
      String domain = domains.get(i);
      if (!isValidDomain(domain)) {
        problems.add("nginx.domains[" + i + "]: " + quote(domain) + " is not a valid domain name");
      } else if (domains.subList(0, i).contains(domain)) {
        problems.add("nginx.domains[" + i + "]: " + quote(domain) + " is listed twice");
      }
    }
  }

  private static boolean isValidDomain(String domain) {
    if (domain.isEmpty() || domain.length() > MAX_DOMAIN_CHARS) {
      return false;
    }
    String rest = domain.startsWith("*.") ? domain.substring(2) : domain;
    for (String label : rest.split("\\.", -1)) {
      if (!DNS_LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  private static void checkHealth(AppSpec spec, List<String> problems) {
    String path = spec.getHealth().getPath();
    if (path.isEmpty()) {
      problems.add("health.path: required");
    } else if (!HEALTH_PATH.matcher(path).matches()) {
      problems.add("health.path: must start with / and contain only [A-Za-z0-9._~/-] (at most 1024 characters), got " + quote(path));
    }
  }

  private static void checkEnv(AppSpec spec, List<String> problems) {
    checkVariables("env", spec.getEnvMap(), problems);
  }

  /** Secrets follow the env rules (their problems never quote a value), and no name is in both. */
  private static void checkSecrets(AppSpec spec, List<String> problems) {
    checkVariables("secrets", spec.getSecretsMap(), problems);
    for (String name : new TreeMap<>(spec.getSecretsMap()).keySet()) {
      if (spec.getEnvMap().containsKey(name)) {
        problems.add("secrets." + name + ": also set in env; a variable is either in env or in secrets");
      }
    }
  }

  private static void checkVariables(String field, Map<String, String> variables, List<String> problems) {
    for (Map.Entry<String, String> e : new TreeMap<>(variables).entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      if (!ENV_NAME.matcher(name).matches()) {
        problems.add(field + "." + name + ": name must match [A-Za-z_][A-Za-z0-9_]*");
      }
      if (value.length() > MAX_ENV_VALUE_CHARS) {
        problems.add(field + "." + name + ": value must be at most " + MAX_ENV_VALUE_CHARS + " characters, got " + value.length());
      }
      if (value.chars().anyMatch(c -> Character.isISOControl(c) && c != '\t')) {
        problems.add(field + "." + name + ": value must not contain control characters (line breaks, NUL, ...)");
      }
    }
  }

  private static void checkPlacement(AppSpec spec, List<String> problems) {
    for (Map.Entry<String, String> e : new TreeMap<>(spec.getPlacement().getLabelsMap()).entrySet()) {
      if (!LABEL.matcher(e.getKey()).matches()) {
        problems.add("placement.labels." + e.getKey() + ": key " + labelRule());
      }
      if (!LABEL.matcher(e.getValue()).matches()) {
        problems.add("placement.labels." + e.getKey() + ": value " + quote(e.getValue()) + " " + labelRule());
      }
    }
    int count = spec.getPlacement().getCount();
    if (spec.getPlacement().getAll() ? count != 0 : count < 1) {
      problems.add("placement.count: must be at least 1 or \"all\", got " + (spec.getPlacement().getAll() ? "all and " + count : count));
    }
  }

  private static void checkUpdate(AppSpec spec, List<String> problems) {
    UpdateSpec update = spec.getUpdate();
    if (update.getMaxParallel() < 0) {
      problems.add("update.max_parallel: must be a positive integer, got " + update.getMaxParallel());
    }
    if (update.hasMinHealthy()) {
      checkDuration(update.getMinHealthy(), "update.min_healthy", true, problems);
    }
    if (update.hasDeadline()) {
      checkDuration(update.getDeadline(), "update.deadline", false, problems);
    }
  }

  private static void checkDuration(
      com.google.protobuf.Duration d, String field, boolean zeroAllowed, List<String> problems) {
    Duration value = Duration.ofSeconds(d.getSeconds(), d.getNanos());
    if (value.isNegative() || (!zeroAllowed && value.isZero()) || value.compareTo(MAX_UPDATE_DURATION) > 0) {
      problems.add(field + ": must be a duration " + (zeroAllowed ? "of 0s" : "above 0s") + " to 24h, e.g. 5s, 500ms or 2m, got "
          + value.toMillis() + "ms");
    }
  }

  /** The effective {@code update.max_parallel}. */
  public static int maxParallel(UpdateSpec update) {
    return update.getMaxParallel() > 0 ? update.getMaxParallel() : DEFAULT_MAX_PARALLEL;
  }

  /** The effective {@code update.min_healthy}. */
  public static Duration minHealthy(UpdateSpec update) {
    return update.hasMinHealthy() ? duration(update.getMinHealthy()) : DEFAULT_MIN_HEALTHY;
  }

  /** The effective {@code update.deadline}. */
  public static Duration deadline(UpdateSpec update) {
    return update.hasDeadline() ? duration(update.getDeadline()) : DEFAULT_DEADLINE;
  }

  /** The effective {@code update.auto_revert}. */
  public static boolean autoRevert(UpdateSpec update) {
    return !update.hasAutoRevert() || update.getAutoRevert();
  }

  private static Duration duration(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  private static String labelRule() {
    return "must match [A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?";
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (Character.isISOControl(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
