package io.drover.cli.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drover.spec.SpecNode;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * YAML documents as the spec's {@link SpecNode} trees, values taken as written, and spec trees as
 * Jackson's trees to write.
 *
 * <p>Reading keeps the text of every scalar: only a plain (unquoted) {@code true} or {@code false} is
 * a boolean, only plain decimal digits a number (keeping the digits as written, so {@code 012} stays
 * {@code 012} where a string is wanted), only a plain {@code null}, {@code ~} or nothing is null;
 * everything else ({@code NO}, {@code yes}, {@code 1.10}, {@code 0x1F}, {@code .inf}) is the string
 * written. A file holding more than one document is refused.
 */
final class YamlTree {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");
  /** Deeper than any spec goes; stops an alias that refers to its own mapping. */
  private static final int MAX_DEPTH = 32;

  private YamlTree() {}

  /** Why a YAML text is not one readable document; the message is the one-line problem. */
  static final class NotOneDocument extends Exception {
    private static final long serialVersionUID = 1L;

    NotOneDocument(String message) {
      super(message);
    }
  }

  /** The one document of {@code text} as a spec tree; an empty text is {@link SpecNode.Null}. */
  static SpecNode read(String text) throws NotOneDocument {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    Yaml yaml = new Yaml(new SafeConstructor(options));
    try {
      Iterator<Node> documents = yaml.composeAll(new StringReader(text)).iterator();
      if (!documents.hasNext()) {
        return new SpecNode.Null();
      }
      Node document = documents.next();
      if (documents.hasNext()) {
        Node second = documents.next();
        throw new NotOneDocument("line " + (second.getStartMark().getLine() + 1)
            + ": a second YAML document; a spec file holds one app's spec, one document (remove the ---)");
      }
      return of(document, 0);
    } catch (MarkedYAMLException e) {
      String problem = e.getProblem() == null ? e.getContext() : e.getProblem();
      return fail(e.getProblemMark() == null ? -1 : e.getProblemMark().getLine(), "not valid YAML: " + problem);
    } catch (YAMLException e) {
      throw new NotOneDocument("not valid YAML: " + firstLine(e.getMessage()));
    }
  }

  private static SpecNode of(Node node, int depth) throws NotOneDocument {
    if (depth > MAX_DEPTH) {
      return fail(node.getStartMark().getLine(), "not valid YAML: nested more than " + MAX_DEPTH + " levels deep");
    }
    return switch (node) {
      case MappingNode m -> mapping(m, depth);
      case SequenceNode s -> {
        List<SpecNode> items = new ArrayList<>();
        for (Node item : s.getValue()) {
          items.add(of(item, depth + 1));
        }
        yield new SpecNode.Sequence(items);
      }
      case ScalarNode s -> scalar(s);
      default -> new SpecNode.Other(node.getTag().getValue());
    };
  }

  private static SpecNode mapping(MappingNode m, int depth) throws NotOneDocument {
    Map<String, SpecNode> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : m.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode key)) {
        return fail(keyNode.getStartMark().getLine(), "not valid YAML: a key must be a plain name, not a list or mapping");
      }
      if (entries.containsKey(key.getValue())) {
        return fail(keyNode.getStartMark().getLine(), "not valid YAML: Duplicate field '" + key.getValue() + "'");
      }
      entries.put(key.getValue(), of(tuple.getValueNode(), depth + 1));
    }
    return new SpecNode.Mapping(entries);
  }

  private static SpecNode scalar(ScalarNode s) {
    String value = s.getValue();
    if (!s.isPlain() || s.getTag().equals(Tag.STR) && !value.isEmpty()) {
      return new SpecNode.Text(value);
    }
    if (value.equals("true") || value.equals("false")) {
      return new SpecNode.Bool(value.equals("true"));
    }
    if (DIGITS.matcher(value).matches()) {
      Integer integer = null;
      try {
        integer = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        // more digits than an int holds: a number without an int value
      }
      return new SpecNode.Number(value, integer);
    }
    if (value.isEmpty() || value.equals("~") || value.equals("null")) {
      return new SpecNode.Null();
    }
    return new SpecNode.Text(value);
  }

  private static SpecNode fail(int line, String problem) throws NotOneDocument {
    throw new NotOneDocument(line < 0 ? problem : "line " + (line + 1) + ": " + problem);
  }

  private static String firstLine(String message) {
    int newline = message == null ? -1 : message.indexOf('\n');
    return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
  }

  /** The tree for Jackson to write. */
  static JsonNode json(SpecNode node) {
    return switch (node) {
      case SpecNode.Mapping m -> {
        ObjectNode object = NODES.objectNode();
        m.entries().forEach((key, value) -> object.set(key, json(value)));
        yield object;
      }
      case SpecNode.Sequence s -> {
        ArrayNode array = NODES.arrayNode();
        s.items().forEach(item -> array.add(json(item)));
        yield array;
      }
      case SpecNode.Text t -> NODES.textNode(t.value());
      case SpecNode.Number n -> n.integer() != null ? NODES.numberNode(n.integer()) : NODES.numberNode(new BigDecimal(n.text()).toBigIntegerExact());
      case SpecNode.Bool b -> NODES.booleanNode(b.value());
      case SpecNode.Null n -> NODES.nullNode();
      case SpecNode.Other o -> NODES.textNode(o.text());
    };
  }
}
