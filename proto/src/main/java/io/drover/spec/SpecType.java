package io.drover.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The YAML shape of a spec field's value: how it is read from a {@link SpecNode} (with the problem a
 * wrong value gets, naming the field), written back, and shown in {@code drover plan}'s before and
 * after. {@code T} is the value as the spec's fields hold it.
 */
public sealed interface SpecType<T> {
  /**
   * The value {@code node} (present, not null) holds at {@code path}; null after adding the problem
   * to {@code problems} when it holds none of this type.
   */
  T read(SpecNode node, String path, List<String> problems);

  /** The value as a YAML tree, read back by {@link #read} as the same value. */
  SpecNode write(T value);

  /** The value for {@code drover plan}'s before and after, as the YAML spec writes it; empty for none. */
  String render(T value);

  /** What a value must be, said after {@code required} when it is missing; null when there is no more to say. */
  default String expectation() {
    return null;
  }

  /**
   * A string: any scalar, as its text was written ({@code 012}, {@code NO} and {@code 1.10} are those
   * strings).
   */
  record Text() implements SpecType<String> {
    @Override
    public String read(SpecNode node, String path, List<String> problems) {
      String text = text(node);
      if (text != null) {
        return text;
      }
      problems.add(path + ": must be a string, got " + node.shown());
      return null;
    }

    @Override
    public SpecNode write(String value) {
      return new SpecNode.Text(value);
    }

    @Override
    public String render(String value) {
      return quote(value);
    }
  }

  /**
   * A positive integer, or {@code keyword} (when not null) standing for 0, e.g. {@code workers:
   * auto}; {@code expectation} is the problem's text, e.g. {@code must be at least 1 or "all"}.
   */
  record Count(String keyword, String expectation) implements SpecType<Integer> {
    @Override
    public Integer read(SpecNode node, String path, List<String> problems) {
      if (keyword != null && node instanceof SpecNode.Text t && t.value().equals(keyword)) {
        return 0;
      }
      if (node instanceof SpecNode.Number n && n.integer() != null && n.integer() >= 1) {
        return n.integer();
      }
      problems.add(path + ": " + expectation + ", got " + node.shown());
      return null;
    }

    @Override
    public SpecNode write(Integer value) {
      return value == 0 && keyword != null ? new SpecNode.Text(keyword) : SpecNode.Number.of(value);
    }

    @Override
    public String render(Integer value) {
      return value == 0 && keyword != null ? keyword : Integer.toString(value);
    }
  }

  /** A list of strings; {@code expectation} is the problem's text when it is not a list. */
  record TextList(String expectation) implements SpecType<List<String>> {
    @Override
    public List<String> read(SpecNode node, String path, List<String> problems) {
      if (!(node instanceof SpecNode.Sequence sequence)) {
        problems.add(path + ": " + expectation);
        return null;
      }
      List<String> values = new ArrayList<>();
      for (int i = 0; i < sequence.items().size(); i++) {
        String text = text(sequence.items().get(i));
        if (text != null) {
          values.add(text);
        } else {
          problems.add(path + "[" + i + "]: must be a string, got " + sequence.items().get(i).shown());
        }
      }
      return values;
    }

    @Override
    public SpecNode write(List<String> value) {
      List<SpecNode> items = new ArrayList<>();
      value.forEach(v -> items.add(new SpecNode.Text(v)));
      return new SpecNode.Sequence(items);
    }

    @Override
    public String render(List<String> value) {
      return value.isEmpty() ? "" : value.toString();
    }
  }

  /**
   * A mapping of names to scalars (strings, numbers, booleans), each kept as its text; {@code
   * expectation} is the problem's text when it is not a mapping, or null for {@code must be a
   * mapping, got ...}. Written sorted by name, a whole number such as {@code 8000} as a number (it
   * reads back as the same text), anything else as a string; shown as {@code {role=web, zone=a}}.
   */
  record TextMap(String expectation) implements SpecType<Map<String, String>> {
    /** A whole number that reads back as the same text: no sign but {@code -}, no leading zero, within a {@code long}. */
    private static final Pattern WHOLE_NUMBER = Pattern.compile("0|-?[1-9][0-9]{0,17}");

    @Override
    public Map<String, String> read(SpecNode node, String path, List<String> problems) {
      if (!(node instanceof SpecNode.Mapping mapping)) {
        problems.add(path + ": " + (expectation == null ? "must be a mapping, got " + node.shown() : expectation));
        return null;
      }
      Map<String, String> values = new LinkedHashMap<>();
      mapping.entries().forEach((name, value) -> {
        switch (value) {
          case SpecNode.Text t -> values.put(name, t.value());
          case SpecNode.Number n -> values.put(name, n.text());
          case SpecNode.Bool b -> values.put(name, Boolean.toString(b.value()));
          default -> problems.add(path + "." + name + ": must be a string, number or boolean, got " + value.shown());
        }
      });
      return values;
    }

    @Override
    public SpecNode write(Map<String, String> value) {
      Map<String, SpecNode> entries = new LinkedHashMap<>();
      new TreeMap<>(value).forEach((name, v) -> entries.put(name, scalar(v)));
      return new SpecNode.Mapping(entries);
    }

    private static SpecNode scalar(String value) {
      if (!WHOLE_NUMBER.matcher(value).matches()) {
        return new SpecNode.Text(value);
      }
      long n = Long.parseLong(value);
      return new SpecNode.Number(value, n == (int) n ? (Integer) (int) n : null);
    }

    @Override
    public String render(Map<String, String> value) {
      return value.isEmpty()
          ? ""
          : new TreeMap<>(value).entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining(", ", "{", "}"));
    }
  }

  /** A duration written as {@link DurationText} reads it; zero only when {@code zeroAllowed}. */
  record Span(boolean zeroAllowed) implements SpecType<java.time.Duration> {
    @Override
    public java.time.Duration read(SpecNode node, String path, List<String> problems) {
      java.time.Duration value = node instanceof SpecNode.Text t ? DurationText.parse(t.value()) : null;
      if (value == null || (!zeroAllowed && value.isZero())) {
        problems.add(path + ": must be a duration like " + (zeroAllowed ? "0s, " : "") + "500ms, 5s or 2m, got "
            + node.shown());
        return null;
      }
      return value;
    }

    @Override
    public SpecNode write(java.time.Duration value) {
      return new SpecNode.Text(DurationText.format(value));
    }

    @Override
    public String render(java.time.Duration value) {
      return DurationText.format(value);
    }
  }

  /**
   * The spec's {@code processes}: names to mappings of {@code command} (a string, required) and
   * {@code per_host} (a positive integer, default 1); written sorted by name, {@code per_host} only
   * when set; shown as {@code {worker: "celery -A proj worker" x2}}.
   */
  record Processes() implements SpecType<Map<String, io.drover.api.v1.ProcessSpec>> {
    private static final List<String> KEYS = List.of("command", "per_host");

    @Override
    public Map<String, io.drover.api.v1.ProcessSpec> read(SpecNode node, String path, List<String> problems) {
      if (!(node instanceof SpecNode.Mapping mapping)) {
        problems.add(path + ": must be a mapping of name to {command: ..., per_host: N}, got " + node.shown());
        return null;
      }
      Map<String, io.drover.api.v1.ProcessSpec> values = new LinkedHashMap<>();
      mapping.entries().forEach((name, value) -> {
        String at = path + "." + name;
        if (!(value instanceof SpecNode.Mapping process)) {
          problems.add(at + ": must be a mapping with command and per_host, got " + value.shown());
          return;
        }
        io.drover.api.v1.ProcessSpec.Builder b = io.drover.api.v1.ProcessSpec.newBuilder();
        process.entries().forEach((key, v) -> {
          if (!KEYS.contains(key)) {
            String hint = DidYouMean.closest(key, KEYS).map(k -> "; did you mean " + k + "?").orElse("");
            problems.add(at + "." + key + ": unknown key (expected command, per_host" + hint + ")");
          }
        });
        SpecNode command = process.get("command");
        if (command == null || command instanceof SpecNode.Null) {
          problems.add(at + ".command: required");
        } else {
          String text = new Text().read(command, at + ".command", problems);
          if (text != null) {
            b.setCommand(text);
          }
        }
        SpecNode perHost = process.get("per_host");
        if (perHost != null && !(perHost instanceof SpecNode.Null)) {
          Integer n = new Count(null, "must be a positive integer").read(perHost, at + ".per_host", problems);
          if (n != null) {
            b.setPerHost(n);
          }
        }
        values.put(name, b.build());
      });
      return values;
    }

    @Override
    public SpecNode write(Map<String, io.drover.api.v1.ProcessSpec> value) {
      Map<String, SpecNode> entries = new LinkedHashMap<>();
      new TreeMap<>(value).forEach((name, p) -> {
        Map<String, SpecNode> process = new LinkedHashMap<>();
        process.put("command", new SpecNode.Text(p.getCommand()));
        if (p.getPerHost() > 0) {
          process.put("per_host", SpecNode.Number.of(p.getPerHost()));
        }
        entries.put(name, new SpecNode.Mapping(process));
      });
      return new SpecNode.Mapping(entries);
    }

    @Override
    public String render(Map<String, io.drover.api.v1.ProcessSpec> value) {
      return value.isEmpty()
          ? ""
          : new TreeMap<>(value).entrySet().stream()
              .map(e -> e.getKey() + ": " + quote(e.getValue().getCommand()) + " x" + Math.max(1, e.getValue().getPerHost()))
              .collect(Collectors.joining(", ", "{", "}"));
    }
  }

  /** {@code true} or {@code false}. */
  record Flag() implements SpecType<Boolean> {
    @Override
    public Boolean read(SpecNode node, String path, List<String> problems) {
      if (node instanceof SpecNode.Bool b) {
        return b.value();
      }
      problems.add(path + ": must be true or false, got " + node.shown());
      return null;
    }

    @Override
    public SpecNode write(Boolean value) {
      return new SpecNode.Bool(value);
    }

    @Override
    public String render(Boolean value) {
      return value.toString();
    }
  }

  /** The text of a scalar as written (a string, number or boolean); null for anything else. */
  static String text(SpecNode node) {
    return switch (node) {
      case SpecNode.Text t -> t.value();
      case SpecNode.Number n -> n.text();
      case SpecNode.Bool b -> Boolean.toString(b.value());
      default -> null;
    };
  }

  /**
   * {@code nginx.tls}: the word {@code acme}, or a mapping {@code {certificate: FILE, key: FILE}}.
   * As read, a provided certificate's fields hold the file names; {@link SpecTree} puts the files'
   * contents in their place. Written back as {@code acme} or the certificate's PEM and the key
   * masked; shown as {@code acme} or {@code provided (sha256 <first 12 hex digits of the chain>)}.
   */
  record Tls() implements SpecType<io.drover.api.v1.TlsSpec> {
    private static final String EXPECTED = "must be acme or {certificate: FILE, key: FILE}";

    @Override
    public io.drover.api.v1.TlsSpec read(SpecNode node, String path, List<String> problems) {
      if (node instanceof SpecNode.Text t && t.value().equals("acme")) {
        return io.drover.api.v1.TlsSpec.newBuilder().setAcme(true).build();
      }
      if (!(node instanceof SpecNode.Mapping m)) {
        problems.add(path + ": " + EXPECTED + ", got " + node.shown());
        return null;
      }
      int before = problems.size();
      for (String key : m.entries().keySet()) {
        if (!key.equals("certificate") && !key.equals("key")) {
          problems.add(path + "." + key + ": unknown key (expected certificate, key)");
        }
      }
      String certificate = file(m, "certificate", path, problems);
      String key = file(m, "key", path, problems);
      return problems.size() > before ? null
          : io.drover.api.v1.TlsSpec.newBuilder().setCertificate(certificate).setKey(key).build();
    }

    private static String file(SpecNode.Mapping m, String key, String path, List<String> problems) {
      SpecNode node = m.get(key);
      if (node instanceof SpecNode.Text t && !t.value().isEmpty()) {
        return t.value();
      }
      problems.add(path + "." + key + ": " + (node == null ? "required" : "must be a file name, got " + node.shown())
          + " (" + EXPECTED + ")");
      return null;
    }

    @Override
    public SpecNode write(io.drover.api.v1.TlsSpec value) {
      if (value.getAcme()) {
        return new SpecNode.Text("acme");
      }
      Map<String, SpecNode> entries = new LinkedHashMap<>();
      entries.put("certificate", new SpecNode.Text(value.getCertificate()));
      entries.put("key", new SpecNode.Text(value.getKey()));
      return new SpecNode.Mapping(entries);
    }

    @Override
    public String render(io.drover.api.v1.TlsSpec value) {
      if (value.getAcme()) {
        return "acme";
      }
      try {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
            .digest(value.getCertificate().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return "provided (sha256 " + java.util.HexFormat.of().formatHex(digest).substring(0, 12) + ")";
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("no SHA-256", e);
      }
    }
  }

  /** A string for {@code drover plan}: double-quoted with {@code "} and {@code \} escaped; empty for none. */
  static String quote(String s) {
    return s.isEmpty() ? "" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
