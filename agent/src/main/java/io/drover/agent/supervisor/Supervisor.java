package io.drover.agent.supervisor;

import io.drover.agent.host.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Supervisor the agent drives: program files in {@code programDir}, applied through supervisord's
 * XML-RPC interface ({@code reloadConfig} then {@code addProcessGroup} / {@code removeProcessGroup},
 * which is what {@code supervisorctl reread} and {@code update} do) on its unix socket.
 */
public final class Supervisor {
  private static final Logger log = LoggerFactory.getLogger(Supervisor.class);
  private static final int BAD_NAME = 10;
  private static final int NOT_RUNNING = 70;
  private static final int ALREADY_ADDED = 90;
  /** Past the longest stopwaitsecs a program gets (a graceful timeout of 10m and its margin): supervisord has killed it by then. */
  private static final Duration MAX_STOP_WAIT = Duration.ofMinutes(11);
  private static final Duration STOP_POLL = Duration.ofMillis(100);

  private final Path programDir;
  private final SupervisorRpc rpc;

  public Supervisor(Path programDir, SupervisorRpc rpc) {
    this.programDir = programDir;
    this.rpc = rpc;
  }

  public Path programFile(String program) {
    return programDir.resolve(program + ".conf");
  }

  /** Writes the program's file and has supervisord add (and so start) it; a changed program is replaced. */
  public void add(SupervisorProgram program) {
    String name = program.name();
    AtomicFile.write(programFile(name), program.render());
    Reread reread = reread();
    if (reread.changed().contains(name)) {
      stopQuietly(name);
      removeGroup(name);
      addGroup(name);
    } else if (reread.added().contains(name)) {
      addGroup(name);
    } else {
      log.debug("event=program_unchanged program={}", name);
      return;
    }
    log.debug("event=program_added program={}", name);
  }

  /** Stops the program, deletes its file and has supervisord forget it; nothing happens for an unknown program. */
  public void remove(String program) {
    stopQuietly(program);
    try {
      Files.deleteIfExists(programFile(program));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + programFile(program), e);
    }
    reread();
    removeGroup(program);
    log.debug("event=program_removed program={}", program);
  }

  /** A program's state as supervisord names it (RUNNING, BACKOFF, FATAL...) and its pid (0: none). */
  public record ProgramStatus(String state, long pid) {}

  /** The program's status; state "UNKNOWN" when supervisord does not know it. */
  public ProgramStatus status(String program) {
    try {
      Map<?, ?> info = (Map<?, ?>) rpc.call("supervisor.getProcessInfo", program);
      Object pid = info.get("pid");
      return new ProgramStatus(String.valueOf(info.get("statename")), pid instanceof Integer p ? p : 0);
    } catch (XmlRpc.FaultException e) {
      if (e.code() == BAD_NAME) {
        return new ProgramStatus("UNKNOWN", 0);
      }
      throw e;
    }
  }

  /** The pid of the program's main process, 0 when it is not running. */
  public int pid(String program) {
    return (int) status(program).pid();
  }

  /** The status of every program supervisord runs, by name. */
  public Map<String, ProgramStatus> statuses() {
    Map<String, ProgramStatus> all = new TreeMap<>();
    for (Object o : (List<?>) rpc.call("supervisor.getAllProcessInfo")) {
      Map<?, ?> info = (Map<?, ?>) o;
      Object pid = info.get("pid");
      all.put(String.valueOf(info.get("name")),
          new ProgramStatus(String.valueOf(info.get("statename")), pid instanceof Integer p ? p : 0));
    }
    return all;
  }

  /** What {@code supervisor.reloadConfig} found changed in the program files (group names). */
  private record Reread(List<String> added, List<String> changed, List<String> removed) {}

  private Reread reread() {
    // the answer is [[added, changed, removed]]
    List<?> outer = (List<?>) rpc.call("supervisor.reloadConfig");
    List<?> lists = (List<?>) outer.get(0);
    return new Reread(names(lists.get(0)), names(lists.get(1)), names(lists.get(2)));
  }

  private static List<String> names(Object list) {
    List<String> names = new ArrayList<>();
    for (Object o : (List<?>) list) {
      names.add(String.valueOf(o));
    }
    return names;
  }

  private void addGroup(String name) {
    try {
      rpc.call("supervisor.addProcessGroup", name);
    } catch (XmlRpc.FaultException e) {
      if (e.code() != ALREADY_ADDED) {
        throw e;
      }
    }
  }

  private void removeGroup(String name) {
    try {
      rpc.call("supervisor.removeProcessGroup", name);
    } catch (XmlRpc.FaultException e) {
      if (e.code() != BAD_NAME) {
        throw e;
      }
    }
  }

  /**
   * Stops the program and waits until it has stopped; a program not running or not known is fine.
   * Supervisor is asked not to wait itself ({@code stopProcess(name, false)}), since a program may
   * take its {@code stopwaitsecs} (an app's graceful timeout) to finish its requests, longer than one
   * call may take; its state is read until it has left STOPPING.
   */
  private void stopQuietly(String name) {
    try {
      rpc.call("supervisor.stopProcess", name, false);
    } catch (XmlRpc.FaultException e) {
      if (e.code() != BAD_NAME && e.code() != NOT_RUNNING) {
        throw e;
      }
      return;
    }
    long deadline = System.nanoTime() + MAX_STOP_WAIT.toNanos();
    while (status(name).state().equals("STOPPING")) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("supervisord did not stop " + name + " within " + MAX_STOP_WAIT.toSeconds() + "s");
      }
      LockSupport.parkNanos(STOP_POLL.toNanos());
      if (Thread.currentThread().isInterrupted()) {
        throw new IllegalStateException("interrupted while stopping " + name);
      }
    }
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
}
