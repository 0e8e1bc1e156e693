package io.drover.cli;

import io.drover.cli.config.Environment;
import io.drover.cli.output.Terminal;
import java.lang.reflect.Constructor;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;

/**
 * Makes the commands and option mixins picocli asks for, passing the {@link Environment} and the
 * {@link Terminal} to a constructor that takes them; classes without such a constructor are made as
 * picocli makes them.
 */
final class CommandFactory implements IFactory {
  private final Map<Class<?>, Object> provided;

  CommandFactory(Environment environment, Terminal terminal) {
    this.provided = Map.of(Environment.class, environment, Terminal.class, terminal);
  }

  @Override
  public <K> K create(Class<K> type) throws Exception {
    for (Constructor<?> constructor : type.getDeclaredConstructors()) {
      Class<?>[] parameters = constructor.getParameterTypes();
      if (parameters.length == 0 || !provided.keySet().containsAll(java.util.List.of(parameters))) {
        continue;
      }
      Object[] arguments = new Object[parameters.length];
      for (int i = 0; i < parameters.length; i++) {
        arguments[i] = provided.get(parameters[i]);
      }
      constructor.setAccessible(true);
      return type.cast(constructor.newInstance(arguments));
    }
    return CommandLine.defaultFactory().create(type);
  }
}
