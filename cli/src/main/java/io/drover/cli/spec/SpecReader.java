package io.drover.cli.spec;

import io.drover.spec.SpecNode;
import io.drover.spec.SpecTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads an app spec YAML file strictly ({@link SpecTree#read}): one document, its values taken as
 * written ({@link YamlTree#read}); unknown keys, wrong types and every {@link
 * io.drover.spec.SpecRules} problem are collected and reported together, each naming its field;
 * {@code source} must be a directory; the files of {@code nginx.tls} are read relative to the
 * spec's directory.
 */
public final class SpecReader {
  private SpecReader() {}

  /** Reads and checks {@code file}; {@code source} is resolved against the file's directory. */
  public static SpecFile read(Path file) throws InvalidSpecException {
    SpecNode root;
    try {
      root = YamlTree.read(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new InvalidSpecException(file, List.of("no such file"));
    } catch (YamlTree.NotOneDocument e) {
      throw new InvalidSpecException(file, List.of(e.getMessage()));
    } catch (IOException e) {
      throw new InvalidSpecException(file, List.of("cannot read: " + e.getMessage()));
    }
    SpecTree.Read read = SpecTree.read(root, source -> sourceProblem(file, source), name -> readBeside(file, name));
    if (!read.problems().isEmpty()) {
      throw new InvalidSpecException(file, read.problems());
    }
    return new SpecFile(file, read.spec(), directory(file, read.source()));
  }

  private static String sourceProblem(Path file, String source) {
    try {
      return Files.isDirectory(directory(file, source)) ? null : source + " is not a directory";
    } catch (InvalidPathException e) {
      return source + " is not a valid path";
    }
  }

  /** A file the spec names (a certificate, a key), relative to the spec's directory. */
  private static String readBeside(Path file, String name) throws IOException {
    Path named = file.toAbsolutePath().getParent().resolve(name).normalize();
    if (Files.size(named) > MAX_NAMED_FILE_BYTES) {
      throw new IOException("larger than " + MAX_NAMED_FILE_BYTES + " bytes");
    }
    return Files.readString(named);
  }

  private static final long MAX_NAMED_FILE_BYTES = 64 * 1024;

  private static Path directory(Path file, String source) {
    return file.toAbsolutePath().getParent().resolve(source).normalize();
  }
}
