package io.drover.cli.output;

/** How a command prints data: an aligned table for people, JSON for scripts. */
public enum Format {
  TABLE,
  JSON
}
