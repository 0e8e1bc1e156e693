package io.drover.agent.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SupervisorProgramTest {
  private static final List<String> GUNICORN =
      List.of("/usr/bin/python3", "-m", "gunicorn", "-c", "/data/releases/hello/gunicorn-2.conf.py", "app:app");

  private static SupervisorProgram program(Map<String, String> env, String user) {
    return new SupervisorProgram("drover-hello-2", GUNICORN, Path.of("/data/releases/hello/2"), env, user,
        Path.of("/data/logs/out.log"), Path.of("/data/logs/err.log"));
  }

  @Test
  void plainWordsStayAndOthersAreSingleQuotedWithPercentDoubled() {
    assertEquals("app:app", SupervisorProgram.shellWord("app:app"));
    assertEquals("'GREETING=Hello from drover'", SupervisorProgram.shellWord("GREETING=Hello from drover"));
    assertEquals("'RATE=50%% off'", SupervisorProgram.shellWord("RATE=50% off"));
    assertEquals("''", SupervisorProgram.shellWord(""));
  }

  @Test
  void quotesSemicolonsAndHashesGoOutsideTheQuotesEscaped() {
    assertEquals("'MSG=say \"hi\" '\\''now'", SupervisorProgram.shellWord("MSG=say \"hi\" 'now"));
    assertEquals("'K=a '\\;' b '\\#' c'", SupervisorProgram.shellWord("K=a ; b # c"));
    assertEquals("'K=$HOME \\ `x`'", SupervisorProgram.shellWord("K=$HOME \\ `x`"));
  }

  @Test
  void refusesWhatNoConfigLineCanCarry() {
    for (String value : List.of("line\nbreak", "cr\rhere", "nul\0", "esc\u001b", "ls\u2028", "broken\uD800")) {
      assertThrows(SupervisorProgram.UnsupportedValueException.class,
          () -> program(Map.of("K", value), "").render(), value);
    }
    assertThrows(SupervisorProgram.UnsupportedValueException.class, () -> program(Map.of("1BAD", "v"), "").render());
    assertThrows(SupervisorProgram.UnsupportedValueException.class, () -> program(Map.of(), "root"));
    assertThrows(SupervisorProgram.UnsupportedValueException.class, () -> program(Map.of(), "a\nb"));
    assertThrows(SupervisorProgram.UnsupportedValueException.class, () -> new SupervisorProgram("x]\n[program:y",
        GUNICORN, Path.of("/d"), Map.of(), "", Path.of("/o"), Path.of("/e")));
    assertThrows(SupervisorProgram.UnsupportedValueException.class, () -> new SupervisorProgram("p",
        GUNICORN, Path.of("/d ;x"), Map.of(), "", Path.of("/o"), Path.of("/e")).render());
  }

  @Test
  void rendersAProgramSectionWithTheEnvironmentInFrontOfTheCommand() {
    String text = program(Map.of("GREETING", "Hi", "A", "1"), "nobody").render();
    assertTrue(text.contains("[program:drover-hello-2]\n"), text);
    assertTrue(text.contains("command=/usr/bin/env -- A=1 GREETING=Hi /usr/bin/python3 -m gunicorn -c "
        + "/data/releases/hello/gunicorn-2.conf.py app:app\n"), text);
    assertTrue(text.contains("user=nobody\n"), text);
    assertFalse(text.contains("environment="), text);
    for (String line : List.of("autostart=true", "autorestart=true", "startsecs=1", "startretries=3",
        "stopasgroup=true", "killasgroup=true", "directory=/data/releases/hello/2", "stderr_logfile=/data/logs/err.log")) {
      assertTrue(text.contains(line + "\n"), line);
    }
  }

  @Test
  void withoutEnvOrUserTheCommandIsGunicornAndNoUserLine() {
    String text = program(Map.of(), "").render();
    assertTrue(text.contains("command=/usr/bin/python3 -m gunicorn"), text);
    assertFalse(text.contains("user="), text);
  }
}
