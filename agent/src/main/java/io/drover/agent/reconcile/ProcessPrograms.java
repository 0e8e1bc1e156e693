package io.drover.agent.reconcile;

import io.drover.agent.supervisor.Supervisor;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.ProcessSpec;
import io.drover.api.v1.ProcessState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Supervisor programs of a spec's {@code processes} for one instance: copy {@code i} of process
 * {@code worker} of the instance whose Gunicorn runs as {@code drover-hello-3} is {@code
 * drover-hello-3.worker-1} (an app name holds no dot, so the prefix names exactly one instance). They
 * run with {@code /bin/sh -c} through a one-line Python launcher that adds the app's secrets from the
 * instance's secrets file to the environment, so no secret is in a Supervisor config.
 */
final class ProcessPrograms {
  /** Reads the secrets file (argv[1], empty for none) into the environment and execs {@code /bin/sh -c argv[2]}. */
  static final String LAUNCHER = "import json,os,sys;e=dict(os.environ);p=sys.argv[1];"
      + "e.update(json.load(open(p,encoding='utf-8')) if p else {});"
      + "os.execve('/bin/sh',['/bin/sh','-c',sys.argv[2]],e)";

  private ProcessPrograms() {}

  /** One copy of a process: its program name and its copy name ({@code worker-1}). */
  record Copy(String process, String copy, String program, String command) {}

  /** Every copy the spec asks for, by process name then copy number. */
  static List<Copy> copies(AppSpec spec, String gunicornProgram) {
    List<Copy> copies = new ArrayList<>();
    new TreeMap<>(spec.getProcessesMap()).forEach((name, p) -> {
      for (int i = 1; i <= perHost(p); i++) {
        String copy = name + "-" + i;
        copies.add(new Copy(name, copy, gunicornProgram + "." + copy, p.getCommand()));
      }
    });
    return copies;
  }

  static int perHost(ProcessSpec p) {
    return Math.max(1, p.getPerHost());
  }

  /** Whether {@code program} is a copy of a process of the instance whose Gunicorn is {@code gunicornProgram}. */
  static boolean belongsTo(String program, String gunicornProgram) {
    return program.startsWith(gunicornProgram + ".");
  }

  /** The copy name of {@code program}, e.g. {@code worker-1}. */
  static String copyOf(String program, String gunicornProgram) {
    return program.substring(gunicornProgram.length() + 1);
  }

  /** What Supervisor says of each process of the instance: copies running of those wanted, and the others' states. */
  static List<ProcessState> states(AppSpec spec, String gunicornProgram, Map<String, Supervisor.ProgramStatus> all) {
    Map<String, ProcessState.Builder> states = new TreeMap<>();
    for (Copy c : copies(spec, gunicornProgram)) {
      ProcessState.Builder b = states.computeIfAbsent(c.process(), n -> ProcessState.newBuilder().setName(n));
      b.setWanted(b.getWanted() + 1);
      Supervisor.ProgramStatus status = all.get(c.program());
      String state = status == null ? "UNKNOWN" : status.state();
      if (state.equals("RUNNING")) {
        b.setRunning(b.getRunning() + 1);
      } else {
        b.addOtherStates(state);
      }
    }
    return states.values().stream().map(ProcessState.Builder::build).toList();
  }
}
