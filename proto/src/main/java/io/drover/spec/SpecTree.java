package io.drover.spec;

import io.drover.api.v1.AppSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A spec document read from, and written as, a {@link SpecNode} tree, field by field as {@link
 * SpecFields} lists them. Reading is strict: unknown keys (with a hint when one is close to a known
 * key), wrong types and every {@link SpecRules} problem are collected together, each naming its
 * field.
 */
public final class SpecTree {
  private SpecTree() {}

  /**
   * What a spec document holds.
   *
   * @param spec the spec, without its bundle digest (that comes from packing {@code source})
   * @param source {@code source} as written; null when it is missing or not a string
   * @param problems every problem found, e.g. {@code gunicorn.workers: must be a positive integer or
   *     "auto", got 0}; empty when the spec is valid
   */
  public record Read(AppSpec spec, String source, List<String> problems) {}

  /**
   * Reads {@code root}; {@code sourceProblem} says what is wrong with the {@code source} written (a
   * directory the caller resolves), or null when nothing is.
   */
  public static Read read(SpecNode root, Function<String, String> sourceProblem) {
    return read(root, sourceProblem, name -> {
      throw new java.io.IOException("files named in a spec are read only from a spec file");
    });
  }

  /** The files a spec names besides {@code source} (a provided certificate and key), read by name as written. */
  @FunctionalInterface
  public interface SpecFiles {
    /** The text of the file {@code name} (as the spec writes it, relative to the spec's directory). */
    String read(String name) throws java.io.IOException;
  }

  /**
   * Reads {@code root} as {@link #read(SpecNode, Function)} does, with the certificate and key files
   * of {@code nginx.tls} read through {@code files}.
   */
  public static Read read(SpecNode root, Function<String, String> sourceProblem, SpecFiles files) {
    if (root instanceof SpecNode.Null) {
      return new Read(AppSpec.getDefaultInstance(), null, List.of("empty spec"));
    }
    if (!(root instanceof SpecNode.Mapping top)) {
      return new Read(AppSpec.getDefaultInstance(), null,
          List.of("must be a mapping with " + String.join(", ", keys(null))));
    }
    List<String> problems = new ArrayList<>();
    AppSpec.Builder spec = AppSpec.newBuilder();
    String source = null;
    unknownKeys(top, "", keys(null), problems);
    Map<SpecSection, SpecNode.Mapping> sections = new LinkedHashMap<>();
    for (SpecField<?> field : SpecFields.all()) {
      SpecNode.Mapping container = field.section() == null ? top : section(top, field.section(), sections, spec, problems);
      if (container == null) {
        continue;
      }
      SpecNode node = container.get(field.key());
      if (node == null || node instanceof SpecNode.Null) {
        if (field.required()) {
          String expectation = field.type().expectation();
          problems.add(field.path() + ": required" + (expectation == null ? "" : " (" + expectation + ")"));
        }
      } else if (field == SpecFields.SOURCE) {
        source = SpecFields.SOURCE.type().read(node, field.path(), problems);
        String problem = source == null ? null : sourceProblem.apply(source);
        if (problem != null) {
          problems.add(field.path() + ": " + problem);
        }
      } else if (field == SpecFields.NGINX_TLS) {
        readTls(node, files, spec, problems);
      } else {
        read(field, node, spec, problems);
      }
    }
    AppSpec built = spec.build();
    List<String> reported = problems.stream().map(SpecTree::field).toList();
    for (String rule : SpecRules.checkBeforeBundle(built)) {
      String f = field(rule);
      if (reported.stream().noneMatch(r -> f.equals(r) || f.startsWith(r + ".") || f.startsWith(r + "["))) {
        problems.add(rule);
      }
    }
    return new Read(built, source, List.copyOf(problems));
  }

  /**
   * {@code spec} as a document {@link #read} reads back as the same spec, but for {@code source}
   * (left out: the spec holds its bundle's digest, not the directory) and secrets (each shown as
   * {@link SpecFields#MASK}). Fields the YAML may leave out are left out when unset.
   */
  public static SpecNode.Mapping write(AppSpec spec) {
    Map<String, SpecNode> top = new LinkedHashMap<>();
    Map<SpecSection, Map<String, SpecNode>> sections = new LinkedHashMap<>();
    for (SpecField<?> field : SpecFields.all()) {
      if (!field.stored()) {
        continue;
      }
      SpecNode value = written(field, spec);
      Map<String, SpecNode> container = top;
      SpecSection section = field.section();
      if (section != null) {
        if (value == null && !section.presentIn(spec) && !sections.containsKey(section)) {
          continue;
        }
        container = sections.computeIfAbsent(section, s -> new LinkedHashMap<>());
        top.putIfAbsent(section.key(), null);
      }
      if (value != null) {
        container.put(field.key(), value);
      }
    }
    sections.forEach((section, fields) -> top.put(section.key(), new SpecNode.Mapping(fields)));
    return new SpecNode.Mapping(top);
  }

  /** The keys of {@code section}, or of the top of the spec for null, in table order. */
  public static List<String> keys(SpecSection section) {
    List<String> keys = new ArrayList<>();
    for (SpecField<?> field : SpecFields.all()) {
      String key = section == null ? (field.section() == null ? field.path() : field.section().key())
          : field.section() == section ? field.key() : null;
      if (key != null && !keys.contains(key)) {
        keys.add(key);
      }
    }
    return keys;
  }

  private static <T> void read(SpecField<T> field, SpecNode node, AppSpec.Builder spec, List<String> problems) {
    T value = field.type().read(node, field.path(), problems);
    if (value != null) {
      field.set(spec, value);
    }
  }

  /** {@code nginx.tls}, with a provided certificate's and key's files read in place of their names. */
  private static void readTls(SpecNode node, SpecFiles files, AppSpec.Builder spec, List<String> problems) {
    String path = SpecFields.NGINX_TLS.path();
    io.drover.api.v1.TlsSpec tls = SpecFields.NGINX_TLS.type().read(node, path, problems);
    if (tls == null) {
      return;
    }
    if (!tls.getAcme()) {
      String certificate = readFile(files, tls.getCertificate(), path + ".certificate", problems);
      String key = readFile(files, tls.getKey(), path + ".key", problems);
      // a file that could not be read keeps its name: its problem is reported once, and the rules of
      // the fields that depend on nginx.tls (hsts) still see it set
      tls = tls.toBuilder().setCertificate(certificate != null ? certificate : tls.getCertificate())
          .setKey(key != null ? key : tls.getKey()).build();
    }
    SpecFields.NGINX_TLS.set(spec, tls);
  }

  private static String readFile(SpecFiles files, String name, String field, List<String> problems) {
    try {
      return files.read(name);
    } catch (java.io.IOException | RuntimeException e) {
      problems.add(field + ": cannot read " + name + ": " + (e instanceof java.nio.file.NoSuchFileException ? "no such file"
          : e.getMessage()));
      return null;
    }
  }

  private static <T> SpecNode written(SpecField<T> field, AppSpec spec) {
    T value = field.maskedValue(spec);
    return value == null ? null : field.type().write(value);
  }

  /**
   * The mapping of {@code section} in {@code top}, marked present in {@code spec} and its keys
   * checked the first time it is asked for; null when it is absent or not a mapping (reported once).
   */
  private static SpecNode.Mapping section(SpecNode.Mapping top, SpecSection section,
      Map<SpecSection, SpecNode.Mapping> seen, AppSpec.Builder spec, List<String> problems) {
    if (seen.containsKey(section)) {
      return seen.get(section);
    }
    SpecNode node = top.get(section.key());
    SpecNode.Mapping mapping = null;
    if (node instanceof SpecNode.Mapping m) {
      mapping = m;
      section.setIn(spec);
      unknownKeys(m, section.key() + ".", keys(section), problems);
    } else if (node != null && !(node instanceof SpecNode.Null)) {
      problems.add(section.key() + ": must be a mapping, got " + node.shown());
    }
    seen.put(section, mapping);
    return mapping;
  }

  /**
   * Reports each key of {@code node} not in {@code known}: {@code gunicorn.wokers: unknown key
   * (expected app, workers, timeout, graceful_timeout, worker_class, threads, max_requests; did you mean workers?)}, the hint only when more than one key is known.
   */
  private static void unknownKeys(SpecNode.Mapping node, String prefix, List<String> known, List<String> problems) {
    for (String key : node.entries().keySet()) {
      if (!known.contains(key)) {
        String hint = known.size() < 2 ? "" : DidYouMean.closest(key, known).map(k -> "; did you mean " + k + "?").orElse("");
        problems.add(prefix + key + ": unknown key (expected " + String.join(", ", known) + hint + ")");
      }
    }
  }

  /** The field a problem names: what comes before its first {@code ": "}. */
  private static String field(String problem) {
    int colon = problem.indexOf(": ");
    return colon < 0 ? problem : problem.substring(0, colon);
  }
}
