package io.drover.agent.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.drover.agent.host.HostCommand;
import io.drover.agent.hostile.HostileStrings;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.GunicornSpec;
import io.drover.spec.SpecRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random hostile env names and values, WSGI targets and users in a {@code [program:...]} section,
 * read back by Supervisor's own code (its ini parser, {@code processes_from_section} with its {@code
 * %} expansion, then {@code shlex.split} of the command, as supervisord does before exec): what
 * {@link SpecRules} accepts renders, and whatever renders comes back as exactly the intended
 * section, keys, argv and user; what the renderer cannot carry it refuses.
 */
class SupervisorProgramPropertyTest {
  private static final int CASES = 300;
  private static final List<String> USERS = List.of("nobody", "daemon", "www-data");
  private static final String KEYS =
      "autorestart autostart command directory killasgroup startretries startsecs stderr_logfile stdout_logfile "
          + "stopasgroup stopsignal stopwaitsecs";
  /** Reads each file as supervisord does; prints sections and keys, then the argv, user id and paths as UTF-8 hex. */
  private static final String LOADER = String.join("\n",
      "import sys, shlex",
      "from supervisor.options import ServerOptions, UnhosedConfigParser",
      "def hx(s): return s.encode('utf-8', 'surrogateescape').hex()",
      "for path in sys.argv[1:]:",
      "    p = UnhosedConfigParser()",
      "    p.read([path], encoding='utf-8')",
      "    s = p.sections()",
      "    c = ServerOptions().processes_from_section(p, s[0], s[0].split(':', 1)[1])[0]",
      "    print(','.join(s) + '|' + ' '.join(sorted(p.options(s[0]))) + '|' + ','.join(hx(a) for a in shlex.split(c.command))",
      "          + '|' + str(c.uid) + '|' + hx(c.directory) + '|' + hx(c.stdout_logfile) + '|' + hx(c.stderr_logfile)",
      "          + '|' + str(c.stopwaitsecs))",
      "");

  @TempDir Path dir;

  @Test
  void acceptedValuesComeBackExactlyThroughSupervisorsOwnParsing() throws IOException {
    HostileStrings hostile = HostileStrings.seeded();
    List<Path> files = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    List<String> contexts = new ArrayList<>();
    int refusedBySpec = 0;
    for (int i = 0; i < CASES; i++) {
      Map<String, String> env = new LinkedHashMap<>();
      for (int e = hostile.random().nextInt(4); e > 0; e--) {
        env.put(hostile.chance(80) ? "V" + hostile.plain(3).replaceAll("[.-]", "_") : hostile.next(2), hostile.next(5));
      }
      String wsgi = hostile.chance(70) ? "app.wsgi:application" : hostile.next(3);
      String user = hostile.chance(60) ? USERS.get(hostile.random().nextInt(USERS.size())) : hostile.chance(50) ? "" : hostile.next(2);
      String context = hostile.rerun() + ", case " + i + ": env " + show(env) + ", app " + HostileStrings.show(wsgi) + ", user "
          + HostileStrings.show(user);
      List<String> problems = SpecRules.checkBeforeBundle(AppSpec.newBuilder().putAllEnv(env).setUser(user)
          .setGunicorn(GunicornSpec.newBuilder().setApp(wsgi)).build()).stream()
          .filter(p -> p.startsWith("env") || p.startsWith("user") || p.startsWith("gunicorn.app")).toList();
      boolean accepted = problems.isEmpty();
      if (!accepted) {
        refusedBySpec++;
      }
      String program = "drover-app-" + i;
      Path release = dir.resolve("releases/app/" + i);
      List<String> command = List.of("/usr/bin/python3", "-m", "gunicorn", "-c", release + ".conf.py", wsgi);
      int stopWait = 1 + hostile.random().nextInt(700);
      String text;
      SupervisorProgram p;
      try {
        p = new SupervisorProgram(program, command, release, env, user, dir.resolve("out-" + i + ".log"),
            dir.resolve("err-" + i + ".log"), stopWait);
        text = p.render();
      } catch (SupervisorProgram.UnsupportedValueException e) {
        if (accepted) {
          fail(context + ": accepted by SpecRules but refused by the renderer: " + e.getMessage());
        }
        continue;
      }
      if (user.isEmpty() || USERS.contains(user)) {
        Path file = dir.resolve(program + ".conf");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        files.add(file);
        contexts.add(context + "\n" + text);
        List<String> argv = p.argv();
        expected.add("program:" + program + "|" + (user.isEmpty() ? KEYS : KEYS.replace("stopwaitsecs", "stopwaitsecs user")) + "|"
            + String.join(",", argv.stream().map(SupervisorProgramPropertyTest::hex).toList()) + "|"
            + (user.isEmpty() ? "None" : uid(user)) + "|" + hex(release.toString()) + "|"
            + hex(dir.resolve("out-" + i + ".log").toString()) + "|" + hex(dir.resolve("err-" + i + ".log").toString())
            + "|" + stopWait);
        List<String> intended = new ArrayList<>();
        if (!env.isEmpty()) {
          intended.add("/usr/bin/env");
          intended.add("--");
          new java.util.TreeMap<>(env).forEach((k, v) -> intended.add(k + "=" + v));
        }
        intended.addAll(command);
        assertEquals(intended, argv, context);
      } else {
        // a user name the host does not have: supervisord would refuse it; the name itself must be a safe word
        assertTrue(SpecRules.userProblem(user) == null, context);
      }
    }
    assertFalse(files.isEmpty(), hostile.rerun());
    assertTrue(refusedBySpec > 0, hostile.rerun() + ": no hostile case refused");
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "-c", LOADER));
    files.forEach(f -> cmd.add(f.toString()));
    HostCommand.Result result = HostCommand.run(cmd, Duration.ofSeconds(60));
    assertTrue(result.ok(), hostile.rerun() + ": supervisor's parser failed:\n" + result.output());
    List<String> lines = result.output().lines().toList();
    assertEquals(expected.size(), lines.size(), hostile.rerun() + ": " + result.output());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), lines.get(i), contexts.get(i));
    }
  }

  private static String uid(String user) {
    HostCommand.Result r = HostCommand.run(List.of("id", "-u", user), Duration.ofSeconds(10)).orThrow();
    return r.output().strip();
  }

  private static String show(Map<String, String> env) {
    StringBuilder b = new StringBuilder("{");
    env.forEach((k, v) -> b.append(HostileStrings.show(k)).append('=').append(HostileStrings.show(v)).append(' '));
    return b.append('}').toString();
  }

  private static String hex(String s) {
    return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
  }
}
