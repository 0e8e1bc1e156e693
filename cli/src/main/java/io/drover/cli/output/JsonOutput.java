package io.drover.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Prints API messages in the proto3 JSON mapping (lowerCamelCase names, fields without presence
 * always present, so {@code "healthy": false} appears), except that 64-bit integers such as
 * {@code revision} print as JSON numbers rather than strings; the proto3 JSON parser reads both.
 */
public final class JsonOutput {
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectWriter WRITER =
      MAPPER.writer(
          new DefaultPrettyPrinter()
              .withObjectIndenter(new DefaultIndenter("  ", "\n"))
              .withArrayIndenter(new DefaultIndenter("  ", "\n"))
              .withSeparators(DefaultPrettyPrinter.DEFAULT_SEPARATORS
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                  .withArrayEmptySeparator("")
                  .withObjectEmptySeparator("")));

  private JsonOutput() {}

  /** The message as a JSON tree. */
  public static JsonNode tree(MessageOrBuilder message) {
    try {
      JsonNode tree = MAPPER.readTree(PRINTER.print(message));
      numbersIn(tree, message.getDescriptorForType());
      return tree;
    } catch (InvalidProtocolBufferException | JsonProcessingException e) {
      throw new IllegalStateException("cannot print " + message.getDescriptorForType().getName() + " as JSON", e);
    }
  }

  public static void print(PrintWriter out, MessageOrBuilder message) {
    write(out, tree(message));
  }

  /** Prints the messages as one JSON array. */
  public static void printArray(PrintWriter out, List<? extends MessageOrBuilder> messages) {
    if (messages.isEmpty()) {
      out.println("[]");
      out.flush();
      return;
    }
    ArrayNode array = MAPPER.createArrayNode();
    messages.forEach(m -> array.add(tree(m)));
    write(out, array);
  }

  /** Prints a JSON tree the way every command prints JSON. */
  public static void write(PrintWriter out, JsonNode tree) {
    try {
      out.println(WRITER.writeValueAsString(tree));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
    out.flush();
  }

  /** Turns the string-quoted 64-bit integers of {@code node}, a message of type {@code type}, into numbers. */
  private static void numbersIn(JsonNode node, Descriptor type) {
    if (!(node instanceof ObjectNode object) || type.getFullName().startsWith("google.protobuf.")) {
      return;
    }
    for (FieldDescriptor field : type.getFields()) {
      JsonNode value = object.get(field.getJsonName());
      if (value == null) {
        continue;
      }
      if (field.isMapField()) {
        FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
          entry.setValue(converted(entry.getValue(), valueField));
        }
      } else if (field.isRepeated() && value instanceof ArrayNode array) {
        for (int i = 0; i < array.size(); i++) {
          array.set(i, converted(array.get(i), field));
        }
      } else {
        object.set(field.getJsonName(), converted(value, field));
      }
    }
  }

  private static JsonNode converted(JsonNode value, FieldDescriptor field) {
    switch (field.getType()) {
      case INT64, SINT64, SFIXED64 -> {
        return value.isTextual() ? MAPPER.getNodeFactory().numberNode(Long.parseLong(value.textValue())) : value;
      }
      case UINT64, FIXED64 -> {
        return value.isTextual() ? MAPPER.getNodeFactory().numberNode(new BigInteger(value.textValue())) : value;
      }
      case MESSAGE -> {
        numbersIn(value, field.getMessageType());
        return value;
      }
      default -> {
        return value;
      }
    }
  }
}
