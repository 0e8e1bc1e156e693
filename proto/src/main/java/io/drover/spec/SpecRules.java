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
 * before it stores one. Each rule belongs to one field of {@link SpecFields}, whose entry names it.
 */
public final class SpecRules {
  /** The most Gunicorn workers a spec may ask for. */
  public static final int MAX_WORKERS = 256;
  /** The longest env (or secret) value a spec may carry. */
  public static final int MAX_ENV_VALUE_CHARS = 4096;
  /** The most env entries a spec may carry. */
  public static final int MAX_ENV_ENTRIES = 128;
  /** The longest env name. */
  public static final int MAX_ENV_NAME_CHARS = 128;
  /** The most {@code nginx.domains} a spec may list. */
  public static final int MAX_DOMAINS = 64;
  /** The most labels a spec's placement or a host may carry. */
  public static final int MAX_LABELS = 32;
  /** The largest spec, as its protobuf encoding. */
  public static final int MAX_SPEC_BYTES = 128 * 1024;
  /** The longest {@code gunicorn.app}. */
  public static final int MAX_WSGI_TARGET_CHARS = 256;
  /** {@code update.max_parallel} when the spec does not say. */
  public static final int DEFAULT_MAX_PARALLEL = 1;
  /** {@code update.min_healthy} when the spec does not say. */
  public static final Duration DEFAULT_MIN_HEALTHY = Duration.ofSeconds(5);
  /** {@code update.deadline} when the spec does not say. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(5);
  /** The longest {@code update.min_healthy} and {@code update.deadline}. */
  public static final Duration MAX_UPDATE_DURATION = Duration.ofHours(24);

  /** {@code gunicorn.timeout} and {@code gunicorn.graceful_timeout} when the spec does not say (Gunicorn's own). */
  public static final Duration DEFAULT_GUNICORN_TIMEOUT = Duration.ofSeconds(30);
  /** The longest {@code gunicorn.timeout} and {@code gunicorn.graceful_timeout}. */
  public static final Duration MAX_GUNICORN_TIMEOUT = Duration.ofMinutes(10);
  /** The Gunicorn worker classes a spec may name. */
  public static final List<String> WORKER_CLASSES = List.of("sync", "gthread", "gevent", "eventlet");
  /** The most {@code gunicorn.threads}. */
  public static final int MAX_THREADS = 256;
  /** {@code health.interval} when the spec does not say. */
  public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(5);
  /** {@code health.timeout} when the spec does not say. */
  public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(2);
  /** {@code health.failures} when the spec does not say. */
  public static final int DEFAULT_HEALTH_FAILURES = 3;
  /** {@code health.start_timeout} when the spec does not say. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(1);
  /** The most {@code nginx.static} entries. */
  public static final int MAX_STATIC = 16;

  private static final Pattern URL_PREFIX = Pattern.compile("/([A-Za-z0-9._~-]+/)*");
  private static final Pattern RELEASE_DIR = Pattern.compile("[A-Za-z0-9_~-][A-Za-z0-9._~-]*(/[A-Za-z0-9._~-]+)*/?");
  private static final Pattern BODY_SIZE = Pattern.compile("[0-9]{1,6}[kKmMgG]?");
  private static final Pattern PYTHON = Pattern.compile("/[A-Za-z0-9._+-]+(/[A-Za-z0-9._+-]+)*");
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");
  private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
  private static final String PY_IDENTIFIER = "[A-Za-z_][A-Za-z0-9_]*";
  private static final Pattern WSGI_TARGET =
      Pattern.compile(PY_IDENTIFIER + "(\\." + PY_IDENTIFIER + ")*:" + PY_IDENTIFIER);
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final int MAX_DOMAIN_CHARS = 253;
  private static final Pattern HEALTH_PATH = Pattern.compile("/[A-Za-z0-9._~/-]{0,1023}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");
  private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

  private SpecRules() {}

  /**
   * Returns the spec's problems, each naming its field as written in YAML, e.g. {@code
   * gunicorn.workers: must be a positive integer or "auto"}; empty when the spec is valid.
   */
  public static List<String> check(AppSpec spec) {
    List<String> problems = checkBeforeBundle(spec);
    SpecFields.SOURCE.check(spec, problems);
    return problems;
  }

  /**
   * Returns the problems of every field but the bundle digest: what the CLI checks before it packs
   * the spec's source. Each field's rule is named in {@link SpecFields}; they run in its order.
   */
  public static List<String> checkBeforeBundle(AppSpec spec) {
    List<String> problems = new ArrayList<>();
    for (SpecField<?> field : SpecFields.all()) {
      if (field != SpecFields.SOURCE) {
        field.check(spec, problems);
      }
    }
    int size = spec.getSerializedSize();
    if (size > MAX_SPEC_BYTES) {
      problems.add("spec: " + size + " bytes encoded, at most " + MAX_SPEC_BYTES + " (env values make up most of a spec)");
    }
    return problems;
  }

  static void checkBundle(AppSpec spec, List<String> problems) {
    String digest = spec.getBundleSha256();
    if (digest.isEmpty()) {
      problems.add("source: bundle digest missing");
    } else if (!DIGEST.matcher(digest).matches()) {
      problems.add("source: bundle digest must be 64 lowercase hex characters, got " + quote(digest));
    }
  }

  /** Whether {@code name} is a valid app name. */
  public static boolean isValidName(String name) {
    return NAME.matcher(name).matches();
  }

  static void checkName(AppSpec spec, List<String> problems) {
    if (spec.getName().isEmpty()) {
      problems.add("name: required");
    } else if (!isValidName(spec.getName())) {
      problems.add("name: must match [a-z][a-z0-9-]{0,39}, got " + quote(spec.getName()));
    }
  }

  static void checkApp(AppSpec spec, List<String> problems) {
    String app = spec.getGunicorn().getApp();
    if (app.isEmpty()) {
      problems.add("gunicorn.app: required");
    } else if (app.length() > MAX_WSGI_TARGET_CHARS || !WSGI_TARGET.matcher(app).matches()) {
      problems.add("gunicorn.app: must be module:callable, e.g. app:app or mysite.wsgi:application (at most "
          + MAX_WSGI_TARGET_CHARS + " characters), got " + quote(app));
    }
  }

  static void checkWorkers(AppSpec spec, List<String> problems) {
    int workers = spec.getGunicorn().getWorkers();
    if (workers < 0 || workers > MAX_WORKERS) {
      problems.add("gunicorn.workers: must be a positive integer or \"auto\" (at most " + MAX_WORKERS + "), got " + workers);
    }
  }

  static void checkDomains(AppSpec spec, List<String> problems) {
    List<String> domains = spec.getNginx().getDomainsList();
    if (domains.isEmpty()) {
      problems.add("nginx.domains: at least one domain");
    } else if (domains.size() > MAX_DOMAINS) {
      problems.add("nginx.domains: at most " + MAX_DOMAINS + " domains, got " + domains.size());
      return;
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

  /**
   * Whether {@code domain} is a valid {@code nginx.domains} entry: a lower-case DNS name (labels of
   * {@code [a-z0-9]} and inner {@code -}, at most 253 characters), optionally starting with {@code *.}.
   */
  public static boolean isValidDomain(String domain) {
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

  /**
   * {@code nginx.tls}: {@code acme} needs domains HTTP-01 can validate (no {@code *.}); a provided
   * certificate must parse, match its key, cover every domain and not be expired now ({@link
   * ProvidedCertificate}). A key the server sealed is not checked again.
   */
  static void checkTls(AppSpec spec, List<String> problems) {
    if (!spec.getNginx().hasTls()) {
      return;
    }
    problems.addAll(tlsProblems(spec.getNginx().getTls(), spec.getNginx().getDomainsList(), java.time.Instant.now()));
  }

  /** The problems of {@code tls} for {@code domains} at {@code now}, as {@link #checkTls} reports them. */
  public static List<String> tlsProblems(io.drover.api.v1.TlsSpec tls, List<String> domains, java.time.Instant now) {
    List<String> problems = new ArrayList<>();
    if (tls.getAcme()) {
      if (!tls.getCertificate().isEmpty() || !tls.getKey().isEmpty()) {
        problems.add("nginx.tls: either acme or {certificate: FILE, key: FILE}, not both");
      }
      for (String domain : domains) {
        if (domain.startsWith("*.")) {
          problems.add("nginx.tls: acme cannot get a certificate for the wildcard domain " + domain
              + " (HTTP-01 cannot validate wildcards); provide one with tls: {certificate: FILE, key: FILE}");
        }
      }
      return problems;
    }
    if (tls.getCertificate().isEmpty() || tls.getKey().isEmpty()) {
      problems.add("nginx.tls: must be acme or {certificate: FILE, key: FILE}");
      return problems;
    }
    if (tls.getKey().startsWith(SEALED_PREFIX)) {
      return ProvidedCertificate.problems(tls.getCertificate(), null, domains, now);
    }
    return ProvidedCertificate.problems(tls.getCertificate(), tls.getKey(), domains, now);
  }

  /** How a value the server sealed starts. */
  private static final String SEALED_PREFIX = "v1:";

  static void checkHsts(AppSpec spec, List<String> problems) {
    if (spec.getNginx().getHsts() && !spec.getNginx().hasTls()) {
      problems.add("nginx.hsts: needs nginx.tls (Strict-Transport-Security is sent over HTTPS); add tls: acme or "
          + "remove hsts");
    }
  }

  static void checkBehindProxy(AppSpec spec, List<String> problems) {
    List<String> proxies = spec.getNginx().getBehindProxyList();
    if (proxies.size() > MAX_PROXIES) {
      problems.add("nginx.behind_proxy: at most " + MAX_PROXIES + " entries, got " + proxies.size());
      return;
    }
    for (int i = 0; i < proxies.size(); i++) {
      if (!isAddressRange(proxies.get(i))) {
        problems.add("nginx.behind_proxy[" + i + "]: " + quote(proxies.get(i))
            + " is not an IP address or CIDR range, e.g. 10.0.0.0/8 or 2001:db8::/32");
      }
    }
  }

  /** The most {@code nginx.behind_proxy} entries. */
  public static final int MAX_PROXIES = 64;

  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]{2,45}");

  /** Whether {@code range} is an IPv4 or IPv6 address, optionally with a {@code /prefix}. */
  public static boolean isAddressRange(String range) {
    int slash = range.indexOf('/');
    String address = slash < 0 ? range : range.substring(0, slash);
    boolean v6 = address.contains(":");
    int max = v6 ? 128 : 32;
    if (slash >= 0) {
      String prefix = range.substring(slash + 1);
      if (!prefix.matches("[0-9]{1,3}") || Integer.parseInt(prefix) > max) {
        return false;
      }
    }
    if (!v6) {
      return IPV4.matcher(address).matches();
    }
    if (!IPV6.matcher(address).matches()) {
      return false;
    }
    try {
      return java.net.InetAddress.getByName(address) instanceof java.net.Inet6Address;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  static void checkHealthPath(AppSpec spec, List<String> problems) {
    String path = spec.getHealth().getPath();
    if (path.isEmpty()) {
      problems.add("health.path: required");
    } else if (!HEALTH_PATH.matcher(path).matches()) {
      problems.add("health.path: must start with / and contain only [A-Za-z0-9._~/-] (at most 1024 characters), got " + quote(path));
    }
  }

  static void checkEnv(AppSpec spec, List<String> problems) {
    checkVariables("env", spec.getEnvMap(), problems);
  }

  /** Secrets follow the env rules (their problems never quote a value), and no name is in both. */
  static void checkSecrets(AppSpec spec, List<String> problems) {
    checkVariables("secrets", spec.getSecretsMap(), problems);
    for (String name : new TreeMap<>(spec.getSecretsMap()).keySet()) {
      if (spec.getEnvMap().containsKey(name)) {
        problems.add("secrets." + name + ": also set in env; a variable is either in env or in secrets");
      }
    }
  }

  private static void checkVariables(String field, Map<String, String> variables, List<String> problems) {
    if (variables.size() > MAX_ENV_ENTRIES) {
      problems.add(field + ": at most " + MAX_ENV_ENTRIES + " entries, got " + variables.size());
      return;
    }
    for (Map.Entry<String, String> e : new TreeMap<>(variables).entrySet()) {
      String name = e.getKey();
      if (!ENV_NAME.matcher(name).matches()) {
        problems.add(field + "." + quoteIfOdd(name) + ": name must match [A-Za-z_][A-Za-z0-9_]* (at most "
            + MAX_ENV_NAME_CHARS + " characters)");
      }
      String problem = envValueProblem(e.getValue());
      if (problem != null) {
        problems.add(field + "." + quoteIfOdd(name) + ": value " + problem);
      }
    }
  }

  /**
   * Why {@code value} cannot be an env value, or null when it can: at most {@link
   * #MAX_ENV_VALUE_CHARS} characters of printable text, where tab is the one control character
   * allowed (no line breaks, NUL, DEL, C1 controls, Unicode line or paragraph separators, or unpaired
   * surrogates). Quotes, {@code ;}, {@code #}, {@code $}, {@code %}, {@code \} and any other
   * printable character are fine: the agent's renderers escape them.
   */
  public static String envValueProblem(String value) {
    if (value.length() > MAX_ENV_VALUE_CHARS) {
      return "must be at most " + MAX_ENV_VALUE_CHARS + " characters, got " + value.length();
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      int type = Character.getType(c);
      if ((Character.isISOControl(c) && c != '\t')
          || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
        return "must not contain control characters (line breaks, NUL, ...), found " + String.format("U+%04X", (int) c)
            + " at " + i;
      }
      if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "must be valid text, found an unpaired surrogate at " + i;
      }
    }
    return null;
  }

  static void checkLabels(AppSpec spec, List<String> problems) {
    problems.addAll(labelsProblems("placement.labels", spec.getPlacement().getLabelsMap()));
  }

  static void checkCount(AppSpec spec, List<String> problems) {
    int count = spec.getPlacement().getCount();
    if (spec.getPlacement().getAll() ? count != 0 : count < 1) {
      problems.add("placement.count: must be at least 1 or \"all\", got " + (spec.getPlacement().getAll() ? "all and " + count : count));
    }
  }

  static void checkMaxParallel(AppSpec spec, List<String> problems) {
    if (spec.getUpdate().getMaxParallel() < 0) {
      problems.add("update.max_parallel: must be a positive integer, got " + spec.getUpdate().getMaxParallel());
    }
  }

  static void checkMinHealthy(AppSpec spec, List<String> problems) {
    if (spec.getUpdate().hasMinHealthy()) {
      checkDuration(spec.getUpdate().getMinHealthy(), "update.min_healthy", true, problems);
    }
  }

  static void checkDeadline(AppSpec spec, List<String> problems) {
    if (spec.getUpdate().hasDeadline()) {
      checkDuration(spec.getUpdate().getDeadline(), "update.deadline", false, problems);
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

  static void checkGunicornTimeout(AppSpec spec, List<String> problems) {
    if (spec.getGunicorn().hasTimeout()) {
      checkSeconds(spec.getGunicorn().getTimeout(), "gunicorn.timeout", Duration.ofSeconds(1), MAX_GUNICORN_TIMEOUT, problems);
    }
  }

  static void checkGracefulTimeout(AppSpec spec, List<String> problems) {
    if (spec.getGunicorn().hasGracefulTimeout()) {
      checkSeconds(spec.getGunicorn().getGracefulTimeout(), "gunicorn.graceful_timeout", Duration.ofSeconds(1),
          MAX_GUNICORN_TIMEOUT, problems);
    }
  }

  static void checkWorkerClass(AppSpec spec, List<String> problems) {
    String workerClass = spec.getGunicorn().getWorkerClass();
    if (!workerClass.isEmpty() && !WORKER_CLASSES.contains(workerClass)) {
      problems.add("gunicorn.worker_class: must be one of " + String.join(", ", WORKER_CLASSES) + ", got " + quote(workerClass));
    }
  }

  static void checkThreads(AppSpec spec, List<String> problems) {
    int threads = spec.getGunicorn().getThreads();
    if (threads < 0 || threads > MAX_THREADS) {
      problems.add("gunicorn.threads: must be a positive integer (at most " + MAX_THREADS + "), got " + threads);
    }
  }

  static void checkMaxRequests(AppSpec spec, List<String> problems) {
    if (spec.getGunicorn().getMaxRequests() < 0) {
      problems.add("gunicorn.max_requests: must be a positive integer, got " + spec.getGunicorn().getMaxRequests());
    }
  }

  static void checkStatic(AppSpec spec, List<String> problems) {
    Map<String, String> statics = spec.getNginx().getStaticMap();
    if (statics.size() > MAX_STATIC) {
      problems.add("nginx.static: at most " + MAX_STATIC + " entries, got " + statics.size());
      return;
    }
    for (Map.Entry<String, String> e : new TreeMap<>(statics).entrySet()) {
      String prefix = e.getKey();
      if (prefix.length() > 256 || !URL_PREFIX.matcher(prefix).matches() || prefix.equals("/") || dotSegments(prefix)) {
        problems.add("nginx.static." + quoteIfOdd(prefix) + ": URL prefix must start and end with /, e.g. /static/, of "
            + "[A-Za-z0-9._~-] between slashes, without . or .., and not be / alone");
      }
      String dir = e.getValue();
      if (dir.length() > 256 || !RELEASE_DIR.matcher(dir).matches() || dotSegments(dir)) {
        problems.add("nginx.static." + quoteIfOdd(prefix) + ": directory must be relative to the release, e.g. static/, "
            + "of [A-Za-z0-9._~-] between slashes, without . or .., got " + quote(dir));
      }
    }
  }

  /** Whether a path has a {@code .} or {@code ..} segment. */
  private static boolean dotSegments(String path) {
    return List.of(path.split("/")).stream().anyMatch(part -> part.equals("..") || part.equals("."));
  }

  static void checkClientMaxBodySize(AppSpec spec, List<String> problems) {
    String size = spec.getNginx().getClientMaxBodySize();
    if (!size.isEmpty() && !BODY_SIZE.matcher(size).matches()) {
      problems.add("nginx.client_max_body_size: must be a size like 512k, 20m or 1g (0 for no limit), got " + quote(size));
    }
  }

  static void checkHealthInterval(AppSpec spec, List<String> problems) {
    if (spec.getHealth().hasInterval()) {
      checkSeconds(spec.getHealth().getInterval(), "health.interval", Duration.ofSeconds(1), Duration.ofHours(1), problems);
    }
  }

  static void checkHealthTimeout(AppSpec spec, List<String> problems) {
    if (spec.getHealth().hasTimeout()) {
      checkRange(spec.getHealth().getTimeout(), "health.timeout", Duration.ofMillis(100), Duration.ofMinutes(1), problems);
    }
  }

  static void checkHealthFailures(AppSpec spec, List<String> problems) {
    int failures = spec.getHealth().getFailures();
    if (failures < 0 || failures > 100) {
      problems.add("health.failures: must be a positive integer (at most 100), got " + failures);
    }
  }

  static void checkStartTimeout(AppSpec spec, List<String> problems) {
    if (spec.getHealth().hasStartTimeout()) {
      checkRange(spec.getHealth().getStartTimeout(), "health.start_timeout", Duration.ofSeconds(1), Duration.ofHours(1), problems);
    }
  }

  /** The longest {@code build.command}. */
  public static final int MAX_COMMAND_CHARS = 4096;

  static void checkBuildCommand(AppSpec spec, List<String> problems) {
    if (spec.hasBuild()) {
      String problem = commandProblem(spec.getBuild().getCommand());
      if (problem != null) {
        problems.add("build.command: " + problem);
      }
    }
  }

  /**
   * Why {@code command} cannot be a command run with {@code /bin/sh -c}, or null when it can: at
   * least one non-blank character, at most {@link #MAX_COMMAND_CHARS}, printable text but for tabs
   * and line breaks (a script of several lines is fine).
   */
  public static String commandProblem(String command) {
    if (command.isBlank()) {
      return "required (a shell command, e.g. python manage.py collectstatic --noinput)";
    }
    if (command.length() > MAX_COMMAND_CHARS) {
      return "at most " + MAX_COMMAND_CHARS + " characters, got " + command.length();
    }
    String problem = envValueProblem(command.replace('\n', ' '));
    return problem == null ? null : problem.replace("must not contain control characters (line breaks, NUL, ...)",
        "must not contain control characters but tab and line breaks");
  }

  /** The most {@code processes} a spec may name. */
  public static final int MAX_PROCESSES = 16;
  /** The most copies of one process per host. */
  public static final int MAX_PER_HOST = 32;
  private static final Pattern PROCESS_NAME = Pattern.compile("[a-z][a-z0-9-]{0,29}");

  static void checkProcesses(AppSpec spec, List<String> problems) {
    Map<String, io.drover.api.v1.ProcessSpec> processes = spec.getProcessesMap();
    if (processes.size() > MAX_PROCESSES) {
      problems.add("processes: at most " + MAX_PROCESSES + " processes, got " + processes.size());
      return;
    }
    for (Map.Entry<String, io.drover.api.v1.ProcessSpec> e : new TreeMap<>(processes).entrySet()) {
      String at = "processes." + quoteIfOdd(e.getKey());
      if (!PROCESS_NAME.matcher(e.getKey()).matches()) {
        problems.add(at + ": name must match [a-z][a-z0-9-]{0,29}");
      }
      String command = e.getValue().getCommand();
      String problem = command.contains("\n") ? "must be one line (Supervisor runs it)" : commandProblem(command);
      if (problem != null) {
        problems.add(at + ".command: " + problem);
      }
      int perHost = e.getValue().getPerHost();
      if (perHost < 0 || perHost > MAX_PER_HOST) {
        problems.add(at + ".per_host: must be from 1 to " + MAX_PER_HOST + ", got " + perHost);
      }
    }
  }

  static void checkPython(AppSpec spec, List<String> problems) {
    String python = spec.getPython();
    if (!python.isEmpty() && (python.length() > 256 || !PYTHON.matcher(python).matches()
        || List.of(python.split("/")).contains(".."))) {
      problems.add("python: must be an absolute path to an interpreter, e.g. /usr/bin/python3.11, of [A-Za-z0-9._+-] "
          + "between slashes, got " + quote(python));
    }
  }

  /** A duration from {@code min} to {@code max} in whole seconds, as Gunicorn and the probes take them. */
  private static void checkSeconds(
      com.google.protobuf.Duration d, String field, Duration min, Duration max, List<String> problems) {
    if (d.getNanos() != 0) {
      problems.add(field + ": must be whole seconds, e.g. 30s or 2m, got " + DurationText.format(duration(d)));
      return;
    }
    checkRange(d, field, min, max, problems);
  }

  private static void checkRange(
      com.google.protobuf.Duration d, String field, Duration min, Duration max, List<String> problems) {
    Duration value = duration(d);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      problems.add(field + ": must be from " + DurationText.format(min) + " to " + DurationText.format(max) + ", got "
          + DurationText.format(value));
    }
  }

  /** A spec's {@code gunicorn.timeout}, or its default. */
  public static Duration gunicornTimeout(AppSpec spec) {
    return spec.getGunicorn().hasTimeout() ? duration(spec.getGunicorn().getTimeout()) : DEFAULT_GUNICORN_TIMEOUT;
  }

  /** A spec's {@code gunicorn.graceful_timeout}, or its default. */
  public static Duration gracefulTimeout(AppSpec spec) {
    return spec.getGunicorn().hasGracefulTimeout() ? duration(spec.getGunicorn().getGracefulTimeout()) : DEFAULT_GUNICORN_TIMEOUT;
  }

  /** A spec's {@code health.interval}, or its default. */
  public static Duration healthInterval(AppSpec spec) {
    return spec.getHealth().hasInterval() ? duration(spec.getHealth().getInterval()) : DEFAULT_HEALTH_INTERVAL;
  }

  /** A spec's {@code health.timeout}, or its default. */
  public static Duration healthTimeout(AppSpec spec) {
    return spec.getHealth().hasTimeout() ? duration(spec.getHealth().getTimeout()) : DEFAULT_HEALTH_TIMEOUT;
  }

  /** A spec's {@code health.failures}, or its default. */
  public static int healthFailures(AppSpec spec) {
    return spec.getHealth().getFailures() > 0 ? spec.getHealth().getFailures() : DEFAULT_HEALTH_FAILURES;
  }

  /** A spec's {@code health.start_timeout}, or its default. */
  public static Duration startTimeout(AppSpec spec) {
    return spec.getHealth().hasStartTimeout() ? duration(spec.getHealth().getStartTimeout()) : DEFAULT_START_TIMEOUT;
  }

  static void checkUser(AppSpec spec, List<String> problems) {
    String problem = userProblem(spec.getUser());
    if (problem != null) {
      problems.add("user: " + problem);
    }
  }

  /**
   * Why {@code user} cannot be an app's {@code user}, or null when it can: empty (the agent's
   * default) or a POSIX account name {@code [a-z_][a-z0-9_-]{0,31}} other than {@code root}.
   */
  public static String userProblem(String user) {
    if (user.isEmpty()) {
      return null;
    }
    if (!USER.matcher(user).matches()) {
      return "must be an account name matching [a-z_][a-z0-9_-]{0,31}, got " + quote(user);
    }
    if (user.equals("root")) {
      return "apps never run as root; name an unprivileged account or leave user out";
    }
    return null;
  }

  /**
   * Why {@code host} cannot be a host's name, or null when it can: a lower-case DNS name, labels of
   * {@code [a-z0-9]} and inner {@code -}, separated by dots, at most 253 characters.
   */
  public static String hostNameProblem(String host) {
    if (host.isEmpty()) {
      return "required";
    }
    if (host.length() > MAX_DOMAIN_CHARS) {
      return "at most " + MAX_DOMAIN_CHARS + " characters, got " + host.length();
    }
    for (String label : host.split("\\.", -1)) {
      if (!DNS_LABEL.matcher(label).matches()) {
        return quote(host) + " is not a valid host name (lower-case letters, digits, inner '-', labels separated by '.')";
      }
    }
    return null;
  }

  /**
   * The problems of a label set (a placement's or a host's), each starting with {@code field},
   * e.g. {@code placement.labels.role: value "we b" must match ...}; empty when valid: at most
   * {@link #MAX_LABELS} labels, keys and values of {@code [A-Za-z0-9._-]} starting and ending with a
   * letter or digit, at most 63 characters.
   */
  public static List<String> labelsProblems(String field, Map<String, String> labels) {
    List<String> problems = new ArrayList<>();
    if (labels.size() > MAX_LABELS) {
      problems.add(field + ": at most " + MAX_LABELS + " labels, got " + labels.size());
      return problems;
    }
    for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
      String key = quoteIfOdd(e.getKey());
      if (!LABEL.matcher(e.getKey()).matches()) {
        problems.add(field + "." + key + ": key " + labelRule());
      }
      if (!LABEL.matcher(e.getValue()).matches()) {
        problems.add(field + "." + key + ": value " + quote(e.getValue()) + " " + labelRule());
      }
    }
    return problems;
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

  /** A map key as it can be shown in a field name: as is when it is a plain word, else quoted. */
  private static String quoteIfOdd(String key) {
    return key.matches("[A-Za-z0-9._-]{1,128}") ? key : quote(key.length() > 128 ? key.substring(0, 128) + "..." : key);
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
