package io.drover.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.drover.api.v1.AppSpec;
import io.drover.server.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Rules of the server's structure that the compiler does not check. */
class ArchitectureTest {
  private static final String SERVER = "io.drover.server";
  private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
  /** A reference to a server class: an import, or a name written out in the code. */
  private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.drover\\.server(?:\\.[a-z][a-z0-9_]*)*)\\.[A-Z]");

  @Test
  void serverPackagesHaveNoImportCycle() {
    Map<String, Set<String>> uses = packageGraph(Path.of("src/main/java"));
    assertTrue(uses.size() > 5, "read the server's packages: " + uses.keySet());
    List<List<String>> cycles = cycles(uses);
    assertEquals(List.of(), cycles, "package cycles (a package must not use, even indirectly, one that uses it)");
  }

  @Test
  void storesReturnNoWireTypesButTheSpec() {
    Set<Class<?>> allowed = specModel();
    List<String> found = new ArrayList<>();
    List<Class<?>> stores = classesOf(Store.class);
    assertTrue(stores.stream().anyMatch(c -> c.getSimpleName().equals("AppStore")), "found the store classes: " + stores);
    for (Class<?> store : stores) {
      if (!Modifier.isPublic(store.getModifiers())) {
        continue;
      }
      for (Method m : store.getDeclaredMethods()) {
        if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic()) {
          wireTypes(m.getGenericReturnType(), allowed, new HashSet<>())
              .forEach(t -> found.add(store.getSimpleName() + "." + m.getName() + " returns " + t.getSimpleName()));
        }
      }
    }
    assertEquals(List.of(), found, "store methods must return domain records (AppSpec and its parts excepted)");
  }

  @Test
  void theRulesThemselvesCatchWhatTheyLookFor() {
    Map<String, Set<String>> graph = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
    assertEquals(List.of(List.of("a", "b", "c")), cycles(graph));
    record Leaky(String name, List<io.drover.api.v1.Host> hosts) {}
    assertEquals(Set.of(io.drover.api.v1.Host.class),
        wireTypes(Leaky.class, specModel(), new HashSet<>()));
    assertEquals(Set.of(), wireTypes(AppSpec.class, specModel(), new HashSet<>()));
  }

  /** Which server packages each server package refers to, read from the sources under {@code root}. */
  static Map<String, Set<String>> packageGraph(Path root) {
    Map<String, Set<String>> uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String code = withoutComments(Files.readString(file));
        Matcher p = PACKAGE.matcher(code);
        if (!p.find() || !p.group(1).startsWith(SERVER)) {
          continue;
        }
        String from = p.group(1);
        Set<String> to = uses.computeIfAbsent(from, k -> new TreeSet<>());
        Matcher r = REFERENCE.matcher(code.substring(p.end()));
        while (r.find()) {
          if (!r.group(1).equals(from) && !r.group(1).startsWith(SERVER + ".store.db")) {
            to.add(r.group(1));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return uses;
  }

  private static String withoutComments(String code) {
    return code.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
  }

  /** The strongly connected components with more than one package (Tarjan), each sorted. */
  static List<List<String>> cycles(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    List<String> stack = new ArrayList<>();
    List<List<String>> out = new ArrayList<>();
    for (String v : new TreeSet<>(graph.keySet())) {
      if (!index.containsKey(v)) {
        visit(v, graph, index, low, stack, out);
      }
    }
    return out;
  }

  private static void visit(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
      Map<String, Integer> low, List<String> stack, List<List<String>> out) {
    index.put(v, index.size());
    low.put(v, index.get(v));
    stack.add(v);
    for (String w : graph.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        visit(w, graph, index, low, stack, out);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (stack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      List<String> component = new ArrayList<>();
      String w;
      do {
        w = stack.removeLast();
        component.add(w);
      } while (!w.equals(v));
      if (component.size() > 1) {
        out.add(component.stream().sorted().toList());
      }
    }
  }

  /** AppSpec and the messages it is made of: the spec model CLI, server and agent share. */
  static Set<Class<?>> specModel() {
    Set<Class<?>> model = new HashSet<>();
    List<Descriptor> todo = new ArrayList<>(List.of(AppSpec.getDescriptor()));
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      Descriptor d = todo.removeLast();
      if (!seen.add(d.getFullName()) || !d.getFile().getPackage().equals("drover.v1")) {
        continue;
      }
      try {
        model.add(Class.forName("io.drover.api.v1." + d.getName()));
      } catch (ClassNotFoundException e) {
        // a map entry type: no class of its own
      }
      for (FieldDescriptor f : d.getFields()) {
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
          todo.add(f.getMessageType());
        }
      }
    }
    return model;
  }

  /**
   * The generated wire types (io.drover.api.v1) {@code type} is or holds, outside {@code allowed}:
   * type arguments and record components are looked into.
   */
  static Set<Class<?>> wireTypes(Type type, Set<Class<?>> allowed, Set<Type> seen) {
    Set<Class<?>> found = new HashSet<>();
    if (!seen.add(type)) {
      return found;
    }
    switch (type) {
      case Class<?> c when c.isArray() -> found.addAll(wireTypes(c.getComponentType(), allowed, seen));
      case Class<?> c -> {
        if (c.getName().startsWith("io.drover.api.v1.") && !allowed.contains(c)) {
          found.add(c);
        }
        if (c.isRecord()) {
          for (RecordComponent rc : c.getRecordComponents()) {
            found.addAll(wireTypes(rc.getGenericType(), allowed, seen));
          }
        }
      }
      case ParameterizedType p -> {
        found.addAll(wireTypes(p.getRawType(), allowed, seen));
        for (Type arg : p.getActualTypeArguments()) {
          found.addAll(wireTypes(arg, allowed, seen));
        }
      }
      case GenericArrayType g -> found.addAll(wireTypes(g.getGenericComponentType(), allowed, seen));
      case WildcardType w -> {
        for (Type bound : w.getUpperBounds()) {
          found.addAll(wireTypes(bound, allowed, seen));
        }
      }
      case TypeVariable<?> v -> {
        for (Type bound : v.getBounds()) {
          found.addAll(wireTypes(bound, allowed, seen));
        }
      }
      default -> {}
    }
    return found;
  }

  /** Every class (nested ones too) compiled into the package of {@code member}, not its subpackages. */
  static List<Class<?>> classesOf(Class<?> member) {
    String pkg = member.getPackageName();
    try {
      Path dir = Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI())
          .resolve(pkg.replace('.', '/'));
      List<Class<?>> classes = new ArrayList<>();
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("package-info"))
            .sorted().toList()) {
          String name = f.getFileName().toString();
          classes.add(Class.forName(pkg + "." + name.substring(0, name.length() - ".class".length())));
        }
      }
      return classes;
    } catch (URISyntaxException | IOException | ClassNotFoundException e) {
      throw new IllegalStateException("cannot list the classes of " + pkg, e);
    }
  }
}
