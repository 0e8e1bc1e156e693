package io.drover.spec;

import io.drover.api.v1.AppSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One field of the YAML spec, e.g. {@code gunicorn.workers}: its YAML type, how its value is taken
 * from and put into an {@code AppSpec}, the rule it must follow, the {@code AppSpec} fields it
 * stands for, and what it means to the rest of Drover: whether it shapes the running instance
 * (everything but placement and the update policy does), whether it is secret (masked wherever an
 * operator sees a spec), and how a change of it is named and shown. The fields are listed in
 * {@link SpecFields}.
 *
 * @param <T> its value as {@link SpecType} reads and writes it
 */
public final class SpecField<T> {
  private final String path;
  private final SpecSection section;
  private final SpecType<T> type;
  private final Function<AppSpec, T> get;
  private final BiConsumer<AppSpec.Builder, T> set;
  private final Function<AppSpec, ?> identity;
  private final Function<AppSpec, String> shown;
  private final BiConsumer<AppSpec, List<String>> rule;
  private final List<String> protoFields;
  private final boolean runtime;
  private final boolean required;
  private final boolean perKey;
  private final UnaryOperator<T> mask;

  private SpecField(Builder<T> b) {
    this.path = b.path;
    this.section = b.section;
    this.type = b.type;
    this.get = Objects.requireNonNull(b.get, b.path + ": no getter");
    this.set = b.set;
    this.identity = b.identity == null ? b.get : b.identity;
    this.shown = b.shown;
    this.rule = b.rule;
    this.protoFields = b.protoFields == null ? List.of(b.path) : b.protoFields;
    this.runtime = b.runtime;
    this.required = b.required;
    this.perKey = b.perKey;
    this.mask = b.mask;
  }

  /** The field as the YAML spec and every problem and change name it, e.g. {@code update.deadline}. */
  public String path() {
    return path;
  }

  /** The mapping it is in, or null for a field at the top of the spec. */
  public SpecSection section() {
    return section;
  }

  /** Its key within its mapping, e.g. {@code deadline}. */
  public String key() {
    return section == null ? path : path.substring(section.key().length() + 1);
  }

  public SpecType<T> type() {
    return type;
  }

  /** Its value in {@code spec} as the YAML spec writes it; null when the YAML leaves it out. */
  public T value(AppSpec spec) {
    return get.apply(spec);
  }

  /**
   * Whether the value is stored in the spec as the YAML has it; not so for {@code source}, a
   * directory in YAML and the digest of its bundle in the spec.
   */
  public boolean stored() {
    return set != null;
  }

  /** Whether it shapes the running instance, so that a change of it needs a new one. */
  public boolean runtime() {
    return runtime;
  }

  /** Whether its values are secret: masked wherever an operator sees a spec. */
  public boolean secret() {
    return mask != null;
  }

  /** Whether the YAML must have it (when its mapping is there). */
  public boolean required() {
    return required;
  }

  /** Whether a change is named per key, {@code env.GREETING}, rather than as the whole field. */
  public boolean perKey() {
    return perKey;
  }

  /** The {@code AppSpec} fields it stands for, as dotted paths of their proto names, e.g. {@code placement.all}. */
  public List<String> protoFields() {
    return protoFields;
  }

  /** The changes of this field from {@code before} to {@code after}, named as {@link SpecFields#changes} names them. */
  public List<String> changes(AppSpec before, AppSpec after) {
    if (!perKey) {
      return Objects.equals(identity.apply(before), identity.apply(after)) ? List.of() : List.of(path);
    }
    Map<?, ?> a = keyed(before);
    Map<?, ?> b = keyed(after);
    TreeSet<String> keys = new TreeSet<>();
    a.keySet().forEach(k -> keys.add(k.toString()));
    b.keySet().forEach(k -> keys.add(k.toString()));
    List<String> changes = new ArrayList<>();
    for (String key : keys) {
      if (!Objects.equals(a.get(key), b.get(key))) {
        changes.add(path + "." + key);
      }
    }
    return changes;
  }

  /** Whether {@code change} (as {@link #changes} names it) is a change of this field. */
  public boolean names(String change) {
    return change.equals(path) || (perKey && change.startsWith(path + "."));
  }

  /**
   * The value {@code change} of this field has in {@code spec}, for {@code drover plan}: as {@link
   * SpecType#render} shows it, a key's value quoted ({@code ""} when empty), a secret as {@link
   * SpecFields#MASK}; empty when the spec has none.
   */
  public String render(AppSpec spec, String change) {
    if (shown != null) {
      return shown.apply(spec);
    }
    if (perKey) {
      Object value = keyed(spec).get(change.substring(path.length() + 1));
      return value == null ? "" : secret() ? SpecFields.MASK : value.toString().isEmpty() ? "\"\"" : SpecType.quote(value.toString());
    }
    T value = get.apply(spec);
    return value == null ? "" : type.render(secret() ? mask.apply(value) : value);
  }

  private Map<?, ?> keyed(AppSpec spec) {
    Object value = identity.apply(spec);
    return value == null ? Map.of() : (Map<?, ?>) value;
  }

  /** Puts {@code value}, as read from YAML, into {@code spec}. */
  void set(AppSpec.Builder spec, T value) {
    set.accept(spec, value);
  }

  /** Adds the problems of this field in {@code spec} to {@code problems}, each starting with its path. */
  void check(AppSpec spec, List<String> problems) {
    if (rule != null) {
      rule.accept(spec, problems);
    }
  }

  /** Its value in {@code spec} with each secret replaced by {@link SpecFields#MASK}; null when the YAML leaves it out. */
  T maskedValue(AppSpec spec) {
    T value = get.apply(spec);
    return value == null || mask == null ? value : mask.apply(value);
  }

  static <T> Builder<T> field(String path, SpecType<T> type) {
    return new Builder<>(path, type);
  }

  /** How {@link SpecFields} writes an entry; only {@code get} is needed, the rest has defaults. */
  static final class Builder<T> {
    private final String path;
    private final SpecType<T> type;
    private SpecSection section;
    private Function<AppSpec, T> get;
    private BiConsumer<AppSpec.Builder, T> set;
    private Function<AppSpec, ?> identity;
    private Function<AppSpec, String> shown;
    private BiConsumer<AppSpec, List<String>> rule;
    private List<String> protoFields;
    private boolean runtime = true;
    private boolean required;
    private boolean perKey;
    private UnaryOperator<T> mask;

    private Builder(String path, SpecType<T> type) {
      this.path = path;
      this.type = type;
      int dot = path.indexOf('.');
      if (dot > 0) {
        String key = path.substring(0, dot);
        for (SpecSection s : SpecSection.values()) {
          if (s.key().equals(key)) {
            section = s;
          }
        }
        Objects.requireNonNull(section, path + ": no section " + key);
      }
    }

    /** Its value in a spec as the YAML writes it, null when the YAML leaves it out. */
    Builder<T> get(Function<AppSpec, T> get) {
      this.get = get;
      return this;
    }

    /** Puts a value read from YAML into a spec. */
    Builder<T> set(BiConsumer<AppSpec.Builder, T> set) {
      this.set = set;
      return this;
    }

    /** What tells two specs' values apart for the change list, when {@code get} does not. */
    Builder<T> identity(Function<AppSpec, ?> identity) {
      this.identity = identity;
      return this;
    }

    /** How {@code drover plan} shows it, when not as its type renders its value. */
    Builder<T> shown(Function<AppSpec, String> shown) {
      this.shown = shown;
      return this;
    }

    Builder<T> rule(BiConsumer<AppSpec, List<String>> rule) {
      this.rule = rule;
      return this;
    }

    /** The {@code AppSpec} fields it stands for, when not just the one its path names. */
    Builder<T> proto(String... fields) {
      this.protoFields = List.of(fields);
      return this;
    }

    /** Not part of what shapes the running instance. */
    Builder<T> notRuntime() {
      this.runtime = false;
      return this;
    }

    Builder<T> required() {
      this.required = true;
      return this;
    }

    /** A mapping whose changes are named per key. */
    Builder<T> perKey() {
      this.perKey = true;
      return this;
    }

    /** Secret: {@code mask} gives the value an operator may see. */
    Builder<T> secret(UnaryOperator<T> mask) {
      this.mask = mask;
      return this;
    }

    SpecField<T> build() {
      return new SpecField<>(this);
    }
  }
}
