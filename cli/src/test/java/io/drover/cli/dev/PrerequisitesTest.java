package io.drover.cli.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.agent.AgentConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrerequisitesTest {
  @Test
  void namesEachMissingProgramAndHowToInstallIt(@TempDir Path empty) {
    Prerequisites none = new Prerequisites(List.of(empty), empty.resolve("python3").toString());
    assertEquals(List.of("nginx", "supervisord", "supervisorctl", "python3 (" + empty.resolve("python3") + ")"), none.missing());
    DevFailure failure = assertThrows(DevFailure.class, none::check);
    assertTrue(failure.getMessage().contains("missing nginx, supervisord, supervisorctl"), failure.getMessage());
    assertTrue(failure.getMessage().endsWith("apt-get install nginx supervisor gunicorn python3-flask"), failure.getMessage());
  }

  @Test
  void thisMachineHasEverything() {
    assertEquals(List.of(), Prerequisites.onPath(System.getenv("PATH"), AgentConfig.defaultPython()).missing());
  }
}
