package io.drover.cli.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The environment a {@code drover} command runs in: its variables and the user's home directory. Main
 * reads the process's once; tests pass a map. Defaults that follow the environment (the config
 * file, the data directories) are worked out here.
 */
public final class Environment {
  private final Map<String, String> variables;
  private final Path home;

  public Environment(Map<String, String> variables, Path home) {
    this.variables = Map.copyOf(variables);
    this.home = home;
  }

  /** This process's variables and {@code user.home}. */
  public static Environment ofProcess() {
    return new Environment(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /** The variable's value when it is set and not blank. */
  public Optional<String> get(EnvironmentVariable variable) {
    String value = variables.get(variable.name());
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  /** {@code DROVER_DEBUG} is set (and not {@code 0}): stack traces and library logs on stderr. */
  public boolean debug() {
    return get(EnvironmentVariable.DROVER_DEBUG).filter(v -> !v.strip().equals("0")).isPresent();
  }

  public Path home() {
    return home;
  }

  /** {@code $XDG_CONFIG_HOME/drover/config.yaml}, else {@code ~/.config/drover/config.yaml}. */
  public Path configFile() {
    return base(EnvironmentVariable.XDG_CONFIG_HOME, ".config").resolve("drover").resolve("config.yaml");
  }

  /** {@code $XDG_DATA_HOME/drover/<role>}, else {@code ~/.local/share/drover/<role>}. */
  public Path dataDir(String role) {
    return base(EnvironmentVariable.XDG_DATA_HOME, ".local/share").resolve("drover").resolve(role);
  }

  private Path base(EnvironmentVariable xdg, String underHome) {
    return get(xdg).map(Path::of).orElseGet(() -> home.resolve(underHome));
  }
}
