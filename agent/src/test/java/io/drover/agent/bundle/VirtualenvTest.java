package io.drover.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.agent.AgentConfig;
import io.drover.agent.host.AppUsers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  void unchangedRequirementsReuseACopyOfAnotherReleasesVirtualenvWithoutPip(@TempDir Path releases) throws Exception {
    Path wheels = Files.createDirectories(releases.resolve("wheels"));
    Path first = Files.createDirectories(releases.resolve("1"));
    String requirements = "--no-index\n--find-links " + wheels + "\ndroverprobe\n";
    Files.writeString(first.resolve("requirements.txt"), requirements);
    wheel(wheels, "droverprobe", "VALUE = 'from the wheel'\n");
    AppUsers.Account me = new AppUsers.Account(System.getProperty("user.name"), 0, 0, System.getProperty("user.home"));
    Virtualenv.Options options = new Virtualenv.Options(new AppUsers.AppUser(me, false), me, releases.resolve("cache/pip"),
        List.of());
    String python1 = Virtualenv.prepare(first, PYTHON, options);
    assertEquals("from the wheel\n", run(python1, "import droverprobe; print(droverprobe.VALUE)"));

    // the package is gone from the only place pip could take it: the second release must not need pip
    Files.walk(wheels).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    Path second = Files.createDirectories(releases.resolve("2"));
    Files.writeString(second.resolve("requirements.txt"), requirements);
    String python2 = Virtualenv.prepare(second, PYTHON,
        new Virtualenv.Options(options.user(), me, options.pipCache(), List.of(first)));
    assertEquals(second.resolve("venv/bin/python").toString(), python2);
    assertEquals("from the wheel\n", run(python2, "import droverprobe; print(droverprobe.VALUE)"));
    assertEquals(second.resolve("venv") + "\n", run(python2, "import sys; print(sys.prefix)"));
    String pip = Files.readString(second.resolve("venv/bin/pip"));
    assertTrue(pip.startsWith("#!" + second.resolve("venv/bin/python")), pip.lines().findFirst().orElse(""));

    // changed requirements: pip runs, and fails without the wheel
    Path third = Files.createDirectories(releases.resolve("3"));
    Files.writeString(third.resolve("requirements.txt"), requirements + "# changed\n");
    assertThrows(Virtualenv.VirtualenvException.class, () -> Virtualenv.prepare(third, PYTHON,
        new Virtualenv.Options(options.user(), me, options.pipCache(), List.of(second, first))));
  }

  /**
   * pip runs as the app's user (here {@code nobody}, the agent being root): a wheel in a directory
   * only root may read is not found, the same wheel where every user may read it is installed, and
   * the app's pip cache belongs to the app's user while the release goes back to the agent.
   */
  @Test
  void pipRunsAsTheAppsUserWithACacheOfItsOwn(@TempDir Path tmp) throws Exception {
    Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
    AppUsers.Account nobody = AppUsers.ofThisHost().forApp("nobody").account();
    AppUsers.Account root = new AppUsers.Account("root", 0, 0, "/root");
    Path hidden = Files.createDirectories(tmp.resolve("hidden"));
    Files.setPosixFilePermissions(hidden, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    wheel(hidden, "droverprobe", "VALUE = 1\n");
    Path open = Files.createDirectories(tmp.resolve("open"));
    wheel(open, "droverprobe", "VALUE = 2\n");
    Virtualenv.Options options = new Virtualenv.Options(new AppUsers.AppUser(nobody, true), root, tmp.resolve("cache/pip"),
        List.of());

    Path first = Files.createDirectories(tmp.resolve("releases/1"));
    Files.writeString(first.resolve("requirements.txt"), "--no-index\n--find-links " + hidden + "\ndroverprobe\n");
    Virtualenv.VirtualenvException e = assertThrows(Virtualenv.VirtualenvException.class,
        () -> Virtualenv.prepare(first, PYTHON, options));
    assertTrue(String.join("\n", e.outputTail()).contains("Permission denied: '" + hidden + "'"), e.outputTail().toString());

    Path second = Files.createDirectories(tmp.resolve("releases/2"));
    Files.writeString(second.resolve("requirements.txt"), "--no-index\n--find-links " + open + "\ndroverprobe\n");
    String python = Virtualenv.prepare(second, PYTHON, options);
    assertEquals("2\n", run(python, "import droverprobe; print(droverprobe.VALUE)"));
    assertEquals(nobody.uid(), (Integer) Files.getAttribute(tmp.resolve("cache/pip"), "unix:uid"));
    assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(tmp.resolve("cache/pip"))));
    assertEquals(0, (Integer) Files.getAttribute(second.resolve("venv/bin/python3"), "unix:uid",
        java.nio.file.LinkOption.NOFOLLOW_LINKS), "the release went back to the agent");
  }

  /** Writes a minimal pure-Python wheel of {@code name} 1.0 whose module holds {@code code}. */
  private static void wheel(Path dir, String name, String code) throws Exception {
    Path file = dir.resolve(name + "-1.0-py3-none-any.whl");
    String dist = name + "-1.0.dist-info/";
    java.util.Map<String, String> entries = new java.util.LinkedHashMap<>();
    entries.put(name + ".py", code);
    entries.put(dist + "METADATA", "Metadata-Version: 2.1\nName: " + name + "\nVersion: 1.0\n");
    entries.put(dist + "WHEEL", "Wheel-Version: 1.0\nGenerator: drover-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
    StringBuilder record = new StringBuilder();
    entries.keySet().forEach(k -> record.append(k).append(",,\n"));
    record.append(dist).append("RECORD,,\n");
    entries.put(dist + "RECORD", record.toString());
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
      for (var e : entries.entrySet()) {
        zip.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
        zip.write(e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
  }

  private static String run(String python, String code) throws Exception {
    Process p = new ProcessBuilder(python, "-c", code).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python did not finish");
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.exitValue(), out);
    return out;
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
