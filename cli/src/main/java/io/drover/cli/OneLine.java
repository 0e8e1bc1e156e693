package io.drover.cli;

/** A message made to fit the CLI's one line on stderr: line breaks become {@code "; "}. */
final class OneLine {
  private OneLine() {}

  static String of(String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
  }
}
