package io.drover.agent.state;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One app revision this host runs: its Supervisor program, the loopback port its Gunicorn listens
 * on, its release directory and the hash of the spec it was started with.
 */
public record RunningInstance(
    String app, long revision, String program, int port, Path releaseDir, String specHash) {
  public RunningInstance {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(program, "program");
    Objects.requireNonNull(releaseDir, "releaseDir");
    Objects.requireNonNull(specHash, "specHash");
  }
}
