package io.drover.agent.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SupervisorProgramTest {

  @Test
  void quotesValuesAndDoublesPercent() {
    assertEquals("A=\"Hello from drover\",B=\"50%% off, today\"",
        SupervisorProgram.environmentLine(Map.of("B", "50% off, today", "A", "Hello from drover")));
  }

  @Test
  void singleQuotesValuesHoldingDoubleQuotes() {
    assertEquals("MSG='say \"hi\" now'", SupervisorProgram.environmentLine(Map.of("MSG", "say \"hi\" now")));
  }

  @Test
  void keepsEmptyValuesAndBackslashes() {
    assertEquals("EMPTY=\"\",PATHS=\"C:\\dir\"", SupervisorProgram.environmentLine(Map.of("EMPTY", "", "PATHS", "C:\\dir")));
  }

  @Test
  void refusesWhatSupervisorCannotCarry() {
    for (String value : List.of("both ' and \"", "line\nbreak", "'leading", "trailing\"", "a ;comment", "a #comment")) {
      assertThrows(SupervisorProgram.UnsupportedValueException.class,
          () -> SupervisorProgram.environmentLine(Map.of("K", value)), value);
    }
    assertThrows(SupervisorProgram.UnsupportedValueException.class,
        () -> SupervisorProgram.environmentLine(Map.of("1BAD", "v")));
  }

  @Test
  void rendersAProgramSection() {
    SupervisorProgram p = new SupervisorProgram("drover-hello-2",
        List.of("/usr/bin/python3", "-m", "gunicorn", "-c", "/data/releases/hello/gunicorn-2.conf.py", "app:app"),
        Path.of("/data/releases/hello/2"), Map.of("GREETING", "Hi"), Path.of("/data/logs/out.log"), Path.of("/data/logs/err.log"));
    String text = p.render();
    assertTrue(text.contains("[program:drover-hello-2]\n"), text);
    assertTrue(text.contains("command=/usr/bin/python3 -m gunicorn -c /data/releases/hello/gunicorn-2.conf.py app:app\n"), text);
    assertTrue(text.contains("environment=GREETING=\"Hi\"\n"), text);
    for (String line : List.of("autostart=true", "autorestart=true", "startsecs=1", "startretries=3",
        "stopasgroup=true", "killasgroup=true", "directory=/data/releases/hello/2", "stderr_logfile=/data/logs/err.log")) {
      assertTrue(text.contains(line + "\n"), line);
    }
  }
}
