package io.drover.agent.state;

import io.drover.agent.host.AtomicFile;
import io.drover.api.v1.Assignments;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the agent remembers across restarts, under {@code dataDir/state}: the last assignments the
 * server sent ({@code assignments.pb}) and the instances running now ({@code instances.properties},
 * keys {@code <app>.revision}, {@code .program}, {@code .port}, {@code .release}, {@code .spec},
 * {@code .started}; a file from an older agent, without {@code .started}, reads as started at
 * {@code .revision}).
 * Every write is atomic.
 */
public final class LocalState {
  private final Path assignmentsFile;
  private final Path instancesFile;

  public LocalState(Path dataDir) {
    Path dir = dataDir.resolve("state");
    this.assignmentsFile = dir.resolve("assignments.pb");
    this.instancesFile = dir.resolve("instances.properties");
  }

  /** The last assignments saved, or an empty set before the first. */
  public Assignments loadAssignments() {
    if (!Files.exists(assignmentsFile)) {
      return Assignments.getDefaultInstance();
    }
    try (InputStream in = Files.newInputStream(assignmentsFile)) {
      return Assignments.parseFrom(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + assignmentsFile + ": " + e.getMessage(), e);
    }
  }

  public void saveAssignments(Assignments assignments) {
    AtomicFile.write(assignmentsFile, assignments.toByteArray());
  }

  /** The running instances by app. */
  public Map<String, RunningInstance> loadInstances() {
    Map<String, RunningInstance> instances = new TreeMap<>();
    if (!Files.exists(instancesFile)) {
      return instances;
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(instancesFile)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + instancesFile + ": " + e.getMessage(), e);
    }
    TreeSet<String> apps = new TreeSet<>();
    for (String key : p.stringPropertyNames()) {
      apps.add(key.substring(0, key.lastIndexOf('.')));
    }
    for (String app : apps) {
      try {
        instances.put(app, new RunningInstance(
            app,
            Long.parseLong(p.getProperty(app + ".revision")),
            p.getProperty(app + ".program"),
            Integer.parseInt(p.getProperty(app + ".port")),
            Path.of(p.getProperty(app + ".release")),
            p.getProperty(app + ".spec"),
            // files written before instances could adopt revisions lack .started: started as served
            Long.parseLong(p.getProperty(app + ".started", p.getProperty(app + ".revision")))));
      } catch (RuntimeException e) {
        throw new IllegalStateException("broken entry for app " + app + " in " + instancesFile, e);
      }
    }
    return instances;
  }

  public void saveInstances(Map<String, RunningInstance> instances) {
    Properties p = new Properties();
    for (RunningInstance i : instances.values()) {
      p.setProperty(i.app() + ".revision", Long.toString(i.revision()));
      p.setProperty(i.app() + ".program", i.program());
      p.setProperty(i.app() + ".port", Integer.toString(i.port()));
      p.setProperty(i.app() + ".release", i.releaseDir().toString());
      p.setProperty(i.app() + ".spec", i.specHash());
      p.setProperty(i.app() + ".started", Long.toString(i.startedAs()));
    }
    StringWriter text = new StringWriter();
    try {
      p.store(text, "instances run by the drover agent");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    AtomicFile.write(instancesFile, text.toString());
  }
}
