package io.drover.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.agent.AgentConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release's Python environment with the real {@code venv} and {@code pip}. Requirements that the
 * system site packages already satisfy (Debian's flask) need no package index, so this runs offline.
 */
class VirtualenvTest {
  private static final String PYTHON = AgentConfig.defaultPython();

  @Test
  void releaseWithoutRequirementsRunsOnTheSystemPython(@TempDir Path release) {
    assertEquals(PYTHON, Virtualenv.prepare(release, PYTHON));
    assertTrue(Files.notExists(release.resolve("venv")));
  }

  @Test
  void requirementsGetAVirtualenvThatSeesSystemPackages(@TempDir Path release) throws Exception {
    Files.writeString(release.resolve("requirements.txt"), "flask\n");

    String python = Virtualenv.prepare(release, PYTHON);

    assertEquals(release.resolve("venv/bin/python").toString(), python);
    assertEquals(python, Virtualenv.pythonOf(release, PYTHON));
    Process p = new ProcessBuilder(python, "-c", "import flask, gunicorn").redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python did not finish");
    assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
  }

  @Test
  void unsatisfiableRequirementFailsWithPipsOutput(@TempDir Path release) throws Exception {
    Files.writeString(release.resolve("requirements.txt"), "this is not a requirement ===\n");

    Virtualenv.VirtualenvException e = assertThrows(Virtualenv.VirtualenvException.class,
        () -> Virtualenv.prepare(release, PYTHON));

    assertTrue(e.getMessage().contains("pip install -r requirements.txt failed"), e.getMessage());
    assertTrue(String.join("\n", e.outputTail()).toLowerCase().contains("requirement"), e.outputTail().toString());
  }
}
