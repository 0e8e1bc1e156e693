package io.drover.agent.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real commands through {@link HostCommand}: exit codes, output, and the deadline that covers reading it. */
class HostCommandTest {
  /** Only against a hang: a command that is not killed at its deadline would run 300 s. */
  private static final Duration HANG_GUARD = Duration.ofSeconds(60);

  @Test
  void capturesStdoutAndStderrTogetherAndTheExitCode() {
    HostCommand.Result r = HostCommand.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(30));
    assertEquals(3, r.exitCode());
    assertEquals("out\nerr\n", r.output());
  }

  @Test
  void aCommandThatCannotStartExits127() {
    HostCommand.Result r = HostCommand.run(List.of("/nonexistent/drover-no-such-command"), Duration.ofSeconds(30));
    assertEquals(HostCommand.CANNOT_START, r.exitCode());
    assertTrue(r.output().contains("drover-no-such-command"), r.output());
  }

  @Test
  void moreOutputThanAPipeHoldsIsReadWhileTheCommandRunsAndOnlyItsEndKept() {
    // 2 MiB: the command blocks on a full pipe unless the output is read while it runs
    HostCommand.Result r = HostCommand.run(
        List.of("sh", "-c", "head -c 2097152 /dev/zero | tr '\\0' x; echo; echo the-end"), Duration.ofSeconds(60));
    assertEquals(0, r.exitCode(), r.tail(3).toString());
    assertEquals(List.of("the-end"), r.tail(1));
    assertTrue(r.output().length() <= 2 * 256 * 1024 + 16, "kept " + r.output().length() + " bytes");
  }

  /**
   * The case that once held the reconcile thread: a command whose child keeps the output open and
   * never ends. It is killed with its descendants when the deadline passes, and reports a timeout
   * with what it printed before.
   */
  @Test
  void aCommandWhoseChildrenKeepItsOutputOpenIsKilledWithThemAtTheDeadline(@TempDir Path dir) throws IOException {
    Path pids = dir.resolve("pids");
    String script = "echo $$ > pids; sleep 300 & echo $! >> pids; sleep 300 & echo $! >> pids; "
        + "echo started; sleep 300";
    HostCommand.Result r = assertTimeoutPreemptively(HANG_GUARD,
        () -> HostCommand.run(List.of("sh", "-c", script), dir, Duration.ofSeconds(5)));

    assertEquals(HostCommand.TIMED_OUT, r.exitCode());
    assertEquals(List.of("started", "timed out after PT5S"), r.tail(2));
    List<Long> started = Files.readAllLines(pids).stream().map(Long::parseLong).toList();
    assertEquals(3, started.size(), "the shell and its two background children: " + started);
    Await.until(Duration.ofSeconds(10), "no process of the command left of " + started,
        () -> started.stream().noneMatch(HostCommandTest::running));
  }

  @Test
  void aCommandThatExitsButLeavesAChildHoldingItsOutputOpenTimesOut(@TempDir Path dir) throws IOException {
    // the shell exits at once; its child, reparented away (so no longer the command's), keeps the output open
    Path pids = dir.resolve("pids");
    HostCommand.Result r = assertTimeoutPreemptively(HANG_GUARD, () -> HostCommand.run(
        List.of("sh", "-c", "sleep 300 & echo $! > pids; echo started"), dir, Duration.ofSeconds(5)));

    assertEquals(HostCommand.TIMED_OUT, r.exitCode());
    assertEquals(List.of("started", "timed out after PT5S"), r.tail(2));
    long child = Long.parseLong(Files.readString(pids).strip());
    ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
    Await.until(Duration.ofSeconds(10), "the child gone", () -> !running(child));
  }

  /** Whether the process exists and is not a zombie (killed, waiting for a parent that may never reap it). */
  static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String state = stat.substring(stat.lastIndexOf(')') + 1).strip();
      return !state.startsWith("Z") && !state.startsWith("X");
    } catch (IOException e) {
      return false;
    }
  }
}
