package io.drover.server.secrets;

import io.drover.api.v1.AppSpec;
import io.drover.api.v1.Assignment;
import io.drover.api.v1.Assignments;
import io.drover.spec.SpecFields;
import java.util.Map;
import java.util.TreeMap;

/**
 * What happens to a spec's {@code secrets} and the key of a provided certificate at the server's edges: sealed before the spec is stored,
 * opened only for the Assignments of a host that runs the app, masked in every answer to an operator.
 */
public final class SpecSecrets {
  /** What operators see instead of a secret's value. */
  public static final String MASK = SpecFields.MASK;

  private final SecretBox box;

  public SpecSecrets(SecretBox box) {
    this.box = box;
  }

  /**
   * The spec with each secret value sealed. A secret whose value is the one {@code current} (the
   * app's stored spec, or null) holds under the same name keeps its sealed value as it is, so an
   * unchanged spec stays byte-for-byte the stored one and applying it again changes nothing.
   */
  public AppSpec seal(AppSpec spec, AppSpec current) {
    spec = sealTlsKey(spec, current);
    if (spec.getSecretsCount() == 0) {
      return spec;
    }
    String app = spec.getName();
    Map<String, String> stored = current == null || !current.getName().equals(app) ? Map.of() : current.getSecretsMap();
    Map<String, String> sealed = new TreeMap<>();
    spec.getSecretsMap().forEach((name, value) -> {
      String before = stored.get(name);
      if (before != null && unchanged(before, app, name, value)) {
        sealed.put(name, before);
      } else {
        sealed.put(name, box.seal(app, name, value).text());
      }
    });
    return spec.toBuilder().clearSecrets().putAllSecrets(sealed).build();
  }

  /** The name a provided certificate's key is sealed under (apart from every env name). */
  static final String TLS_KEY = "nginx.tls.key";

  /** The spec with the key of a provided certificate sealed, kept as stored when {@code current} holds the same. */
  private AppSpec sealTlsKey(AppSpec spec, AppSpec current) {
    String key = spec.getNginx().getTls().getKey();
    if (key.isEmpty()) {
      return spec;
    }
    String app = spec.getName();
    String before = current == null || !current.getName().equals(app) ? "" : current.getNginx().getTls().getKey();
    String sealed = !before.isEmpty() && unchanged(before, app, TLS_KEY, key) ? before : box.seal(app, TLS_KEY, key).text();
    AppSpec.Builder b = spec.toBuilder();
    b.getNginxBuilder().getTlsBuilder().setKey(sealed);
    return b.build();
  }

  private boolean unchanged(String before, String app, String name, String value) {
    try {
      return box.holds(SealedSecret.parse(before), app, name, value);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The stored spec with its secrets in clear, for the agent of a host that runs the app. */
  public AppSpec open(AppSpec stored) {
    if (!stored.getNginx().getTls().getKey().isEmpty()) {
      AppSpec.Builder b = stored.toBuilder();
      b.getNginxBuilder().getTlsBuilder().setKey(openOne(stored.getName(), TLS_KEY, stored.getNginx().getTls().getKey()));
      stored = b.build();
    }
    if (stored.getSecretsCount() == 0) {
      return stored;
    }
    String app = stored.getName();
    Map<String, String> clear = new TreeMap<>();
    stored.getSecretsMap().forEach((name, text) -> {
      SealedSecret sealed;
      try {
        sealed = SealedSecret.parse(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("secret " + name + " of app " + app + ": " + e.getMessage(), e);
      }
      clear.put(name, box.open(app, name, sealed));
    });
    return stored.toBuilder().clearSecrets().putAllSecrets(clear).build();
  }

  /** A host's assignments as stored, with the secrets of each assigned app opened. */
  public Assignments open(Assignments stored) {
    Assignments.Builder out = stored.toBuilder();
    for (int i = 0; i < out.getAssignmentsCount(); i++) {
      Assignment a = out.getAssignments(i);
      if (a.getSpec().getSecretsCount() > 0 || !a.getSpec().getNginx().getTls().getKey().isEmpty()) {
        out.setAssignments(i, a.toBuilder().setSpec(open(a.getSpec())));
      }
    }
    return out.build();
  }

  private String openOne(String app, String name, String text) {
    try {
      return box.open(app, name, SealedSecret.parse(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("secret " + name + " of app " + app + ": " + e.getMessage(), e);
    }
  }

  /** The spec with every secret value (each field {@link SpecFields} marks secret) replaced by {@link #MASK}: what an operator may see. */
  public static AppSpec masked(AppSpec spec) {
    return SpecFields.masked(spec);
  }
}
