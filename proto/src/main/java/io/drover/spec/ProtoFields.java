package io.drover.spec;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.drover.api.v1.AppSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * {@code AppSpec}'s fields by their dotted proto paths ({@code placement.all}), through its own
 * nested messages: resolving the paths the spec fields name, and clearing them.
 */
final class ProtoFields {
  private static final String SPEC_PACKAGE = AppSpec.getDescriptor().getFile().getPackage();

  private ProtoFields() {}

  /** The descriptors along {@code dotted}, from {@code AppSpec} down. */
  static List<FieldDescriptor> resolve(String dotted) {
    List<FieldDescriptor> path = new ArrayList<>();
    Descriptor type = AppSpec.getDescriptor();
    for (String name : dotted.split("\\.")) {
      FieldDescriptor field = type == null ? null : type.findFieldByName(name);
      if (field == null) {
        throw new IllegalArgumentException("AppSpec has no field " + dotted);
      }
      path.add(field);
      type = nested(field) ? field.getMessageType() : null;
    }
    return path;
  }

  /**
   * The fields to clear so that every field of {@code paths} is cleared: a nested message whose
   * fields are all in {@code paths} is cleared as a whole (so the result has no empty message where
   * the spec had one), other fields one by one.
   */
  static List<List<FieldDescriptor>> clearing(Collection<String> paths) {
    Set<String> wanted = Set.copyOf(paths);
    paths.forEach(ProtoFields::resolve);
    List<List<FieldDescriptor>> clear = new ArrayList<>();
    for (FieldDescriptor top : AppSpec.getDescriptor().getFields()) {
      List<String> leaves = leaves(top, "");
      if (wanted.containsAll(leaves)) {
        clear.add(List.of(top));
      } else {
        leaves.stream().filter(wanted::contains).forEach(leaf -> clear.add(resolve(leaf)));
      }
    }
    return clear;
  }

  /** Clears the field at {@code path} in {@code message}, leaving an unset nested message unset. */
  static void clear(Message.Builder message, List<FieldDescriptor> path) {
    FieldDescriptor head = path.get(0);
    if (path.size() == 1) {
      message.clearField(head);
    } else if (message.hasField(head)) {
      Message.Builder nested = ((Message) message.getField(head)).toBuilder();
      clear(nested, path.subList(1, path.size()));
      message.setField(head, nested.build());
    }
  }

  /** The dotted paths of the fields under {@code field} that hold values: itself unless it is a nested spec message. */
  private static List<String> leaves(FieldDescriptor field, String prefix) {
    String path = prefix + field.getName();
    if (!nested(field)) {
      return List.of(path);
    }
    List<String> leaves = new ArrayList<>();
    field.getMessageType().getFields().forEach(f -> leaves.addAll(leaves(f, path + ".")));
    return leaves;
  }

  /** Whether {@code field} is one of the spec's own nested messages (not a map, not a well-known type). */
  private static boolean nested(FieldDescriptor field) {
    return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        && !field.isMapField()
        && !field.isRepeated()
        && field.getMessageType().getFile().getPackage().equals(SPEC_PACKAGE);
  }
}
