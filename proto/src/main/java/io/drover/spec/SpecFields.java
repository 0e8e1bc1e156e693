package io.drover.spec;

import static io.drover.spec.SpecField.field;

import com.google.protobuf.Descriptors.FieldDescriptor;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.ProcessSpec;
import io.drover.api.v1.TlsSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fields of the YAML spec, one entry each, in the order the spec is written: what the CLI reads
 * and writes ({@link SpecTree}), what {@link SpecRules} checks, what {@code drover history} and
 * {@code drover plan} name as changed ({@link #changes}) and show ({@link #render}), what shapes the
 * running instance ({@link #runtime}) and what is secret ({@link #masked}). A new field of {@code
 * AppSpec} is one more entry here (a test fails until it has one).
 */
public final class SpecFields {
  /** What an operator sees instead of a secret's value. */
  public static final String MASK = "(secret)";

  public static final SpecField<String> NAME = field("name", new SpecType.Text())
      .get(AppSpec::getName)
      .set(AppSpec.Builder::setName)
      .rule(SpecRules::checkName)
      .build();

  /** A directory in YAML, the sha256 of its bundle in the spec; shown as the digest's first 12 hex digits. */
  public static final SpecField<String> SOURCE = field("source", new SpecType.Text())
      .get(AppSpec::getBundleSha256)
      .shown(s -> s.getBundleSha256().substring(0, Math.min(12, s.getBundleSha256().length())))
      .proto("bundle_sha256")
      .required()
      .rule(SpecRules::checkBundle)
      .build();

  public static final SpecField<String> GUNICORN_APP = field("gunicorn.app", new SpecType.Text())
      .get(s -> s.getGunicorn().getApp())
      .set((b, v) -> b.getGunicornBuilder().setApp(v))
      .rule(SpecRules::checkApp)
      .build();

  /** {@code auto} is stored as 0. */
  public static final SpecField<Integer> GUNICORN_WORKERS =
      field("gunicorn.workers", new SpecType.Count("auto", "must be a positive integer or \"auto\""))
          .get(s -> s.getGunicorn().getWorkers())
          .set((b, v) -> b.getGunicornBuilder().setWorkers(v))
          .rule(SpecRules::checkWorkers)
          .build();

  public static final SpecField<Duration> GUNICORN_TIMEOUT = field("gunicorn.timeout", new SpecType.Span(false))
      .get(s -> s.getGunicorn().hasTimeout() ? duration(s.getGunicorn().getTimeout()) : null)
      .set((b, v) -> b.getGunicornBuilder().setTimeout(duration(v)))
      .identity(s -> s.getGunicorn().hasTimeout() ? s.getGunicorn().getTimeout() : null)
      .rule(SpecRules::checkGunicornTimeout)
      .build();

  public static final SpecField<Duration> GUNICORN_GRACEFUL_TIMEOUT =
      field("gunicorn.graceful_timeout", new SpecType.Span(false))
          .get(s -> s.getGunicorn().hasGracefulTimeout() ? duration(s.getGunicorn().getGracefulTimeout()) : null)
          .set((b, v) -> b.getGunicornBuilder().setGracefulTimeout(duration(v)))
          .identity(s -> s.getGunicorn().hasGracefulTimeout() ? s.getGunicorn().getGracefulTimeout() : null)
          .rule(SpecRules::checkGracefulTimeout)
          .build();

  /** Empty means {@code sync}. */
  public static final SpecField<String> GUNICORN_WORKER_CLASS = field("gunicorn.worker_class", new SpecType.Text())
      .get(s -> s.getGunicorn().getWorkerClass().isEmpty() ? null : s.getGunicorn().getWorkerClass())
      .set((b, v) -> b.getGunicornBuilder().setWorkerClass(v))
      .rule(SpecRules::checkWorkerClass)
      .build();

  public static final SpecField<Integer> GUNICORN_THREADS =
      field("gunicorn.threads", new SpecType.Count(null, "must be a positive integer"))
          .get(s -> s.getGunicorn().getThreads() == 0 ? null : s.getGunicorn().getThreads())
          .set((b, v) -> b.getGunicornBuilder().setThreads(v))
          .rule(SpecRules::checkThreads)
          .build();

  public static final SpecField<Integer> GUNICORN_MAX_REQUESTS =
      field("gunicorn.max_requests", new SpecType.Count(null, "must be a positive integer"))
          .get(s -> s.getGunicorn().getMaxRequests() == 0 ? null : s.getGunicorn().getMaxRequests())
          .set((b, v) -> b.getGunicornBuilder().setMaxRequests(v))
          .rule(SpecRules::checkMaxRequests)
          .build();

  public static final SpecField<List<String>> NGINX_DOMAINS =
      field("nginx.domains", new SpecType.TextList("must be a list of domain names, e.g. [hello.example.com]"))
          .get(s -> s.getNginx().getDomainsList())
          .set((b, v) -> b.getNginxBuilder().addAllDomains(v))
          .rule(SpecRules::checkDomains)
          .build();

  public static final SpecField<Map<String, String>> NGINX_STATIC =
      field("nginx.static", new SpecType.TextMap("must be a mapping of URL prefix to release directory, e.g. {/static/: static/}"))
          .get(s -> s.getNginx().getStaticCount() == 0 ? null : s.getNginx().getStaticMap())
          .set((b, v) -> b.getNginxBuilder().putAllStatic(v))
          .rule(SpecRules::checkStatic)
          .build();

  public static final SpecField<String> NGINX_CLIENT_MAX_BODY_SIZE = field("nginx.client_max_body_size", new SpecType.Text())
      .get(s -> s.getNginx().getClientMaxBodySize().isEmpty() ? null : s.getNginx().getClientMaxBodySize())
      .set((b, v) -> b.getNginxBuilder().setClientMaxBodySize(v))
      .rule(SpecRules::checkClientMaxBodySize)
      .build();

  /**
   * {@code acme} or a provided certificate, whose key is secret: sealed by the server, masked
   * wherever an operator sees the spec.
   */
  public static final SpecField<TlsSpec> NGINX_TLS = field("nginx.tls", new SpecType.Tls())
      .get(s -> s.getNginx().hasTls() ? s.getNginx().getTls() : null)
      .set((b, v) -> b.getNginxBuilder().setTls(v))
      .proto("nginx.tls.acme", "nginx.tls.certificate", "nginx.tls.key")
      .secret(SpecFields::maskKey)
      .rule(SpecRules::checkTls)
      .build();

  /** Unset means false. */
  public static final SpecField<Boolean> NGINX_HSTS = field("nginx.hsts", new SpecType.Flag())
      .get(s -> s.getNginx().getHsts() ? true : null)
      .set((b, v) -> b.getNginxBuilder().setHsts(v))
      .rule(SpecRules::checkHsts)
      .build();

  public static final SpecField<List<String>> NGINX_BEHIND_PROXY = field("nginx.behind_proxy",
      new SpecType.TextList("must be a list of addresses or CIDR ranges, e.g. [10.0.0.0/8]"))
      .get(s -> s.getNginx().getBehindProxyCount() == 0 ? null : s.getNginx().getBehindProxyList())
      .set((b, v) -> b.getNginxBuilder().addAllBehindProxy(v))
      .rule(SpecRules::checkBehindProxy)
      .build();

  public static final SpecField<String> HEALTH_PATH = field("health.path", new SpecType.Text())
      .get(s -> s.getHealth().getPath())
      .set((b, v) -> b.getHealthBuilder().setPath(v))
      .rule(SpecRules::checkHealthPath)
      .build();

  public static final SpecField<Duration> HEALTH_INTERVAL = field("health.interval", new SpecType.Span(false))
      .get(s -> s.getHealth().hasInterval() ? duration(s.getHealth().getInterval()) : null)
      .set((b, v) -> b.getHealthBuilder().setInterval(duration(v)))
      .identity(s -> s.getHealth().hasInterval() ? s.getHealth().getInterval() : null)
      .rule(SpecRules::checkHealthInterval)
      .build();

  public static final SpecField<Duration> HEALTH_TIMEOUT = field("health.timeout", new SpecType.Span(false))
      .get(s -> s.getHealth().hasTimeout() ? duration(s.getHealth().getTimeout()) : null)
      .set((b, v) -> b.getHealthBuilder().setTimeout(duration(v)))
      .identity(s -> s.getHealth().hasTimeout() ? s.getHealth().getTimeout() : null)
      .rule(SpecRules::checkHealthTimeout)
      .build();

  public static final SpecField<Integer> HEALTH_FAILURES =
      field("health.failures", new SpecType.Count(null, "must be a positive integer"))
          .get(s -> s.getHealth().getFailures() == 0 ? null : s.getHealth().getFailures())
          .set((b, v) -> b.getHealthBuilder().setFailures(v))
          .rule(SpecRules::checkHealthFailures)
          .build();

  public static final SpecField<Duration> HEALTH_START_TIMEOUT = field("health.start_timeout", new SpecType.Span(false))
      .get(s -> s.getHealth().hasStartTimeout() ? duration(s.getHealth().getStartTimeout()) : null)
      .set((b, v) -> b.getHealthBuilder().setStartTimeout(duration(v)))
      .identity(s -> s.getHealth().hasStartTimeout() ? s.getHealth().getStartTimeout() : null)
      .rule(SpecRules::checkStartTimeout)
      .build();

  public static final SpecField<Map<String, String>> ENV = field("env", new SpecType.TextMap(null))
      .get(s -> s.getEnvCount() == 0 ? null : s.getEnvMap())
      .set(AppSpec.Builder::putAllEnv)
      .perKey()
      .rule(SpecRules::checkEnv)
      .build();

  /** Changes are named by secret; values, sealed in the stored spec, never shown. */
  public static final SpecField<Map<String, String>> SECRETS =
      field("secrets", new SpecType.TextMap("must be a mapping of NAME: value"))
          .get(s -> s.getSecretsCount() == 0 ? null : s.getSecretsMap())
          .set(AppSpec.Builder::putAllSecrets)
          .perKey()
          .secret(SpecFields::maskValues)
          .rule(SpecRules::checkSecrets)
          .build();

  public static final SpecField<Map<String, String>> PLACEMENT_LABELS =
      field("placement.labels", new SpecType.TextMap("must be a mapping of label to value, e.g. {role: web}"))
          .get(s -> s.getPlacement().getLabelsCount() == 0 ? null : s.getPlacement().getLabelsMap())
          .set((b, v) -> b.getPlacementBuilder().putAllLabels(v))
          .notRuntime()
          .rule(SpecRules::checkLabels)
          .build();

  /** {@code all} is stored as {@code all: true}. */
  public static final SpecField<Integer> PLACEMENT_COUNT =
      field("placement.count", new SpecType.Count("all", "must be at least 1 or \"all\""))
          .get(s -> s.getPlacement().getAll() ? 0 : s.getPlacement().getCount())
          .set((b, v) -> {
            if (v == 0) {
              b.getPlacementBuilder().setAll(true);
            } else {
              b.getPlacementBuilder().setCount(v);
            }
          })
          .identity(s -> List.of(s.getPlacement().getAll(), s.getPlacement().getCount()))
          .proto("placement.count", "placement.all")
          .notRuntime()
          .required()
          .rule(SpecRules::checkCount)
          .build();

  public static final SpecField<Integer> UPDATE_MAX_PARALLEL =
      field("update.max_parallel", new SpecType.Count(null, "must be a positive integer"))
          .get(s -> s.getUpdate().getMaxParallel() == 0 ? null : s.getUpdate().getMaxParallel())
          .set((b, v) -> b.getUpdateBuilder().setMaxParallel(v))
          .notRuntime()
          .rule(SpecRules::checkMaxParallel)
          .build();

  public static final SpecField<Duration> UPDATE_MIN_HEALTHY = field("update.min_healthy", new SpecType.Span(true))
      .get(s -> s.getUpdate().hasMinHealthy() ? duration(s.getUpdate().getMinHealthy()) : null)
      .set((b, v) -> b.getUpdateBuilder().setMinHealthy(duration(v)))
      .identity(s -> s.getUpdate().hasMinHealthy() ? s.getUpdate().getMinHealthy() : null)
      .notRuntime()
      .rule(SpecRules::checkMinHealthy)
      .build();

  public static final SpecField<Duration> UPDATE_DEADLINE = field("update.deadline", new SpecType.Span(false))
      .get(s -> s.getUpdate().hasDeadline() ? duration(s.getUpdate().getDeadline()) : null)
      .set((b, v) -> b.getUpdateBuilder().setDeadline(duration(v)))
      .identity(s -> s.getUpdate().hasDeadline() ? s.getUpdate().getDeadline() : null)
      .notRuntime()
      .rule(SpecRules::checkDeadline)
      .build();

  public static final SpecField<Boolean> UPDATE_AUTO_REVERT = field("update.auto_revert", new SpecType.Flag())
      .get(s -> s.getUpdate().hasAutoRevert() ? s.getUpdate().getAutoRevert() : null)
      .set((b, v) -> b.getUpdateBuilder().setAutoRevert(v))
      .notRuntime()
      .build();

  /** Empty means the agent's default. */
  public static final SpecField<String> USER = field("user", new SpecType.Text())
      .get(s -> s.getUser().isEmpty() ? null : s.getUser())
      .set(AppSpec.Builder::setUser)
      .rule(SpecRules::checkUser)
      .build();

  /** Empty means the agent's {@code --python}. */
  public static final SpecField<String> PYTHON = field("python", new SpecType.Text())
      .get(s -> s.getPython().isEmpty() ? null : s.getPython())
      .set(AppSpec.Builder::setPython)
      .rule(SpecRules::checkPython)
      .build();

  public static final SpecField<String> BUILD_COMMAND = field("build.command", new SpecType.Text())
      .get(s -> s.getBuild().getCommand().isEmpty() ? null : s.getBuild().getCommand())
      .set((b, v) -> b.getBuildBuilder().setCommand(v))
      .required()
      .rule(SpecRules::checkBuildCommand)
      .build();

  public static final SpecField<Map<String, ProcessSpec>> PROCESSES = field("processes", new SpecType.Processes())
      .get(s -> s.getProcessesCount() == 0 ? null : s.getProcessesMap())
      .set(AppSpec.Builder::putAllProcesses)
      .rule(SpecRules::checkProcesses)
      .build();

  private static final List<SpecField<?>> ALL = List.of(
      NAME, SOURCE, GUNICORN_APP, GUNICORN_WORKERS,
      GUNICORN_TIMEOUT, GUNICORN_GRACEFUL_TIMEOUT, GUNICORN_WORKER_CLASS, GUNICORN_THREADS, GUNICORN_MAX_REQUESTS,
      NGINX_DOMAINS, NGINX_STATIC, NGINX_CLIENT_MAX_BODY_SIZE, NGINX_TLS, NGINX_HSTS, NGINX_BEHIND_PROXY,
      HEALTH_PATH, HEALTH_INTERVAL, HEALTH_TIMEOUT, HEALTH_FAILURES, HEALTH_START_TIMEOUT,
      ENV, SECRETS,
      PLACEMENT_LABELS, PLACEMENT_COUNT,
      UPDATE_MAX_PARALLEL, UPDATE_MIN_HEALTHY, UPDATE_DEADLINE, UPDATE_AUTO_REVERT,
      USER, PYTHON, BUILD_COMMAND, PROCESSES);

  private static final List<List<FieldDescriptor>> NOT_RUNTIME = ProtoFields.clearing(
      ALL.stream().filter(f -> !f.runtime()).flatMap(f -> f.protoFields().stream()).toList());

  private SpecFields() {}

  /** Every field, in the order the spec is written (sections together). */
  public static List<SpecField<?>> all() {
    return ALL;
  }

  /**
   * What in {@code spec} shapes the running instance: the spec without the fields that are not
   * {@link SpecField#runtime} (its placement and update policy, cleared as a whole). Two specs whose
   * runtime specs are equal run the same instance, so a host adopts the new revision in place.
   */
  public static AppSpec runtime(AppSpec spec) {
    AppSpec.Builder b = spec.toBuilder();
    NOT_RUNTIME.forEach(path -> ProtoFields.clear(b, path));
    return b.build();
  }

  /** {@code spec} with every secret value replaced by {@link #MASK}: what an operator may see. */
  public static AppSpec masked(AppSpec spec) {
    AppSpec.Builder b = null;
    for (SpecField<?> f : ALL) {
      if (f.secret() && f.value(spec) != null) {
        b = b == null ? spec.toBuilder() : b;
        mask(f, spec, b);
      }
    }
    return b == null ? spec : b.build();
  }

  private static <T> void mask(SpecField<T> field, AppSpec spec, AppSpec.Builder b) {
    field.protoFields().forEach(path -> ProtoFields.clear(b, ProtoFields.resolve(path)));
    field.set(b, field.maskedValue(spec));
  }

  /**
   * The fields that differ from {@code before} to {@code after}, in table order, named as in YAML:
   * {@code env.GREETING}, {@code secrets.API_KEY} (by name only), {@code source} for the bundle,
   * {@code placement.count}; a mapping such as {@code update} when it was added or removed with no
   * field of it set. Empty exactly when the specs are equal.
   */
  public static List<String> changes(AppSpec before, AppSpec after) {
    List<String> changes = new ArrayList<>();
    for (int i = 0; i < ALL.size(); i++) {
      SpecField<?> f = ALL.get(i);
      changes.addAll(f.changes(before, after));
      SpecSection section = f.section();
      boolean lastOfSection = section != null && (i + 1 == ALL.size() || ALL.get(i + 1).section() != section);
      if (lastOfSection && section.presentIn(before) != section.presentIn(after)
          && changes.stream().noneMatch(c -> c.startsWith(section.key() + "."))) {
        changes.add(section.key());
      }
    }
    return changes;
  }

  /**
   * The value of the field {@code change} (as {@link #changes} names it) in {@code spec}, as the YAML
   * spec writes it: strings quoted ({@code "Hello"}), {@code auto}, {@code all} or a number,
   * durations as {@code 1h30m}, labels as {@code {role=web}}, the bundle digest's first 12 hex
   * digits, {@link #MASK} for a secret, {@code {}} for a mapping that is there; empty when the spec
   * has none (or no such field).
   */
  public static String render(AppSpec spec, String change) {
    for (SpecField<?> f : ALL) {
      if (f.names(change)) {
        return f.render(spec, change);
      }
    }
    for (SpecSection section : SpecSection.values()) {
      if (section.key().equals(change)) {
        return section.presentIn(spec) ? "{}" : "";
      }
    }
    return "";
  }

  private static Map<String, String> maskValues(Map<String, String> values) {
    Map<String, String> masked = new LinkedHashMap<>();
    new TreeMap<>(values).keySet().forEach(name -> masked.put(name, MASK));
    return masked;
  }

  private static TlsSpec maskKey(TlsSpec tls) {
    return tls.getKey().isEmpty() ? tls : tls.toBuilder().setKey(MASK).build();
  }

  private static Duration duration(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  private static com.google.protobuf.Duration duration(Duration d) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }
}
