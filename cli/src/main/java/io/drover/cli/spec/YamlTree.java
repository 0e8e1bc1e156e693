package io.drover.cli.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drover.spec.SpecNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Jackson's YAML trees as the spec's {@link SpecNode} trees, and back. */
final class YamlTree {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private YamlTree() {}

  /** The tree Jackson read; a missing document is {@link SpecNode.Null}. */
  static SpecNode of(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return new SpecNode.Null();
    }
    if (node.isObject()) {
      Map<String, SpecNode> entries = new LinkedHashMap<>();
      node.properties().forEach(e -> entries.put(e.getKey(), of(e.getValue())));
      return new SpecNode.Mapping(entries);
    }
    if (node.isArray()) {
      List<SpecNode> items = new ArrayList<>();
      node.forEach(item -> items.add(of(item)));
      return new SpecNode.Sequence(items);
    }
    if (node.isTextual()) {
      return new SpecNode.Text(node.textValue());
    }
    if (node.isNumber()) {
      return new SpecNode.Number(node.asText(), node.isIntegralNumber() && node.canConvertToInt() ? node.intValue() : null);
    }
    if (node.isBoolean()) {
      return new SpecNode.Bool(node.booleanValue());
    }
    return new SpecNode.Other(node.asText());
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
