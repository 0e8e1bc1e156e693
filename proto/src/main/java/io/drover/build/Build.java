package io.drover.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What every part of Drover says of its build: the version (the same for the CLI, the server and the
 * agent of one release) and the agent protocol this build speaks.
 */
public final class Build {
  /**
   * The agent protocol: what the Connect stream's messages mean. A server serves agents speaking
   * {@link #OLDEST_AGENT_PROTOCOL} to {@link #AGENT_PROTOCOL}; a change an older agent or server
   * would misread raises it.
   */
  public static final int AGENT_PROTOCOL = 1;

  /** The oldest agent protocol this build's server still serves. */
  public static final int OLDEST_AGENT_PROTOCOL = 1;

  private static final String VERSION = load();

  private Build() {}

  /** This build's version, e.g. {@code 0.1.0}. */
  public static String version() {
    return VERSION;
  }

  private static String load() {
    Properties props = new Properties();
    try (InputStream in = Build.class.getResourceAsStream("/io/drover/build/version.properties")) {
      if (in != null) {
        props.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the build's version", e);
    }
    return props.getProperty("version", "unknown");
  }
}
