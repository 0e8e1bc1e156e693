package io.drover.cli.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * The CLI's config file, a YAML map such as {@code server: 127.0.0.1:7070}. It lives at {@code
 * $XDG_CONFIG_HOME/drover/config.yaml}, else {@code ~/.config/drover/config.yaml}; keys drover does
 * not know are kept when it rewrites the file.
 */
public final class CliConfig {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

  private final Path file;

  public CliConfig(Path file) {
    this.file = file;
  }

  /** The config file of the user {@code environment} names ({@link Environment#configFile()}). */
  public static CliConfig of(Environment environment) {
    return new CliConfig(environment.configFile());
  }

  /** {@code $XDG_CONFIG_HOME/drover/config.yaml}, else {@code HOME/.config/drover/config.yaml}. */
  public static Path defaultFile(Map<String, String> env, String home) {
    return new Environment(env, Path.of(home)).configFile();
  }

  public Path file() {
    return file;
  }

  /** The server address the file names, if the file exists and has one. */
  public Optional<String> server() {
    JsonNode server = read().get("server");
    return server != null && server.isTextual() && !server.asText().isBlank() ? Optional.of(server.asText()) : Optional.empty();
  }

  /** The operator token the file holds, if any. */
  public Optional<String> token() {
    return text("token");
  }

  /** The pinned CA fingerprint of the server, if any. */
  public Optional<String> caFingerprint() {
    return text("ca-fingerprint");
  }

  private Optional<String> text(String key) {
    JsonNode node = read().get(key);
    return node != null && node.isTextual() && !node.asText().isBlank() ? Optional.of(node.asText()) : Optional.empty();
  }

  /** Sets {@code server} in the file, atomically (a reader sees the old file or the new one). */
  public void writeServer(String address) {
    write(Map.of("server", address));
  }

  /** Sets the server, its pinned CA fingerprint and the token, atomically; the file is mode 0600. */
  public void writeLogin(String address, String caFingerprint, String token) {
    write(Map.of("server", address, "ca-fingerprint", caFingerprint, "token", token));
  }

  private void write(Map<String, String> values) {
    ObjectNode root = read();
    new java.util.TreeMap<>(values).forEach(root::put);
    try {
      Files.createDirectories(file.getParent());
      Path temp = Files.createTempFile(file.getParent(), ".config", ".yaml.tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.writeString(temp, "# written by drover; drover reads it when neither --server nor DROVER_ADDR is set\n"
            + YAML.writeValueAsString(root), StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the CLI config " + file + ": " + e.getMessage(), e);
    }
  }

  private ObjectNode read() {
    if (!Files.isRegularFile(file)) {
      return YAML.createObjectNode();
    }
    try {
      JsonNode root = YAML.readTree(Files.readString(file, StandardCharsets.UTF_8));
      if (root == null || root.isMissingNode() || root.isNull()) {
        return YAML.createObjectNode();
      }
      if (!(root instanceof ObjectNode map)) {
        throw new IllegalArgumentException(file + ": expected a map such as 'server: 127.0.0.1:7070'");
      }
      return map;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(file + ": not valid YAML: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
