package io.drover.agent.supervisor;

import io.drover.agent.host.AtomicFile;
import io.drover.agent.host.HostCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Supervisor the agent drives: program files in {@code programDir}, changes applied with the
 * {@code supervisorctl} command (a prefix to which {@code reread}, {@code update}... are appended).
 */
public final class Supervisor {
  private static final Logger log = LoggerFactory.getLogger(Supervisor.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Path programDir;
  private final List<String> supervisorctl;

  public Supervisor(Path programDir, List<String> supervisorctl) {
    this.programDir = programDir;
    this.supervisorctl = List.copyOf(supervisorctl);
  }

  public Path programFile(String program) {
    return programDir.resolve(program + ".conf");
  }

  /** Writes the program's file and has supervisord add (and so start) it. */
  public void add(SupervisorProgram program) {
    AtomicFile.write(programFile(program.name()), program.render());
    ctl("reread").orThrow();
    ctl("update", program.name()).orThrow();
    log.debug("event=program_added program={}", program.name());
  }

  /** Stops the program, deletes its file and has supervisord forget it. */
  public void remove(String program) {
    HostCommand.Result stopped = ctl("stop", program);
    if (!stopped.ok() && !stopped.output().contains("not running") && !stopped.output().contains("no such")) {
      throw new HostCommand.CommandFailedException(stopped);
    }
    try {
      Files.deleteIfExists(programFile(program));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + programFile(program), e);
    }
    ctl("reread").orThrow();
    HostCommand.Result updated = ctl("update", program);
    if (!updated.ok() && !updated.output().contains("no such group")) {
      throw new HostCommand.CommandFailedException(updated);
    }
    log.debug("event=program_removed program={}", program);
  }

  /** A program's state as {@code supervisorctl status} names it (RUNNING, BACKOFF, FATAL...) and its pid (0: none). */
  public record ProgramStatus(String state, long pid) {}

  /** The program's status; state "UNKNOWN" when supervisorctl does not list it. */
  public ProgramStatus status(String program) {
    HostCommand.Result result = ctl("status", program);
    for (String line : result.output().split("\n")) {
      String[] words = line.trim().split("[\\s,]+");
      if (words.length >= 2 && words[0].equals(program)) {
        long pid = words.length >= 4 && words[2].equals("pid") && words[3].matches("\\d+") ? Long.parseLong(words[3]) : 0;
        return new ProgramStatus(words[1], pid);
      }
    }
    return new ProgramStatus("UNKNOWN", 0);
  }

  /** The pid of the program's main process, 0 when it is not running. */
  public int pid(String program) {
    HostCommand.Result result = ctl("pid", program);
    String out = result.output().strip();
    return result.ok() && out.matches("\\d+") ? Integer.parseInt(out) : 0;
  }

  /** Names of the program files in the program directory that the agent wrote (drover-*). */
  public List<String> droverPrograms() {
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(programDir)) {
      return names;
    }
    try (Stream<Path> files = Files.list(programDir)) {
      files.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("drover-") && n.endsWith(".conf"))
          .forEach(n -> names.add(n.substring(0, n.length() - ".conf".length())));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + programDir, e);
    }
    return names;
  }

  private HostCommand.Result ctl(String... args) {
    return HostCommand.run(HostCommand.of(supervisorctl, args), TIMEOUT);
  }
}
