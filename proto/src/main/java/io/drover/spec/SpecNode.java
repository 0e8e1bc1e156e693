package io.drover.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A spec document as a tree of YAML values, free of any YAML library: the CLI turns what its parser
 * reads into one of these, and what {@link SpecTree#write} gives back into YAML.
 */
public sealed interface SpecNode {
  /** A mapping; its entries keep the document's order. */
  record Mapping(Map<String, SpecNode> entries) implements SpecNode {
    public Mapping {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** The value under {@code key}, or null when the key is absent. */
    public SpecNode get(String key) {
      return entries.get(key);
    }
  }

  /** A list. */
  record Sequence(List<SpecNode> items) implements SpecNode {
    public Sequence {
      items = List.copyOf(items);
    }
  }

  /** A string. */
  record Text(String value) implements SpecNode {}

  /**
   * A number as the parser read it: {@code text} is how it reads as a string (an env value of
   * {@code 30} is {@code "30"}), {@code integer} its value when it is a whole number that fits an
   * {@code int}, else null.
   */
  record Number(String text, Integer integer) implements SpecNode {
    public static Number of(int value) {
      return new Number(Integer.toString(value), value);
    }
  }

  /** {@code true} or {@code false}. */
  record Bool(boolean value) implements SpecNode {}

  /** An explicit null ({@code key:} with nothing after it), or an empty document. */
  record Null() implements SpecNode {}

  /** Any other scalar the parser may give (binary, say): never a valid spec value. */
  record Other(String text) implements SpecNode {}

  /** How a problem shows this value: {@code "text"} quoted, a number or boolean as is, {@code a mapping}, ... */
  default String shown() {
    return switch (this) {
      case Mapping m -> "a mapping";
      case Sequence s -> "a list";
      case Text t -> "\"" + t.value() + "\"";
      case Number n -> n.text();
      case Bool b -> Boolean.toString(b.value());
      case Null n -> "nothing";
      case Other o -> o.text();
    };
  }
}
