package io.drover.agent.state;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One app instance this host runs: the revision it serves, its Supervisor program, the loopback port
 * its Gunicorn listens on, its release directory, the hash of the spec it was started with, and the
 * revision it was started as ({@code startedAs}), which names its files (program, release, Gunicorn
 * config, logs). The two revisions differ once the instance has adopted a newer revision whose spec
 * differs only in placement.
 */
public record RunningInstance(
    String app, long revision, String program, int port, Path releaseDir, String specHash, long startedAs) {
  public RunningInstance {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(program, "program");
    Objects.requireNonNull(releaseDir, "releaseDir");
    Objects.requireNonNull(specHash, "specHash");
  }

  /** An instance started as the revision it serves. */
  public RunningInstance(String app, long revision, String program, int port, Path releaseDir, String specHash) {
    this(app, revision, program, port, releaseDir, specHash, revision);
  }

  /** The same instance, now serving {@code newRevision}: nothing of it changes on the host. */
  public RunningInstance adopting(long newRevision) {
    return new RunningInstance(app, newRevision, program, port, releaseDir, specHash, startedAs);
  }
}
