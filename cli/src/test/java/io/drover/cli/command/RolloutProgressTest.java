package io.drover.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.drover.api.v1.AppStatus;
import io.drover.api.v1.Instance;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutProgressTest {
  private static Instance instance(String host, long revision, String state, boolean healthy) {
    return Instance.newBuilder().setHost(host).setRevision(revision).setState(state).setHealthy(healthy).build();
  }

  private static AppStatus status(long revision, int desired, Instance... instances) {
    return AppStatus.newBuilder().setApp("hello").setRevision(revision).setExists(true).setDesired(desired).addAllInstances(List.of(instances)).build();
  }

  @Test
  void doneWhenEveryPlacedInstanceRunsTheRevisionHealthy() {
    RolloutProgress progress = new RolloutProgress("hello", 2);
    assertEquals(
        List.of("web-1: running, healthy (revision 1)", "web-2: pending, not healthy (revision 2)"),
        progress.observe(status(2, 2, instance("web-1", 1, "running", true), instance("web-2", 2, "pending", false))));
    assertEquals(RolloutProgress.Outcome.WAITING, progress.outcome());
    assertEquals("web-1 (running, healthy, revision 1), web-2 (pending, not healthy, revision 2)", progress.notReady());

    assertEquals(
        List.of("web-1: running, healthy (revision 2)"),
        progress.observe(status(2, 2, instance("web-1", 2, "running", true), instance("web-2", 2, "pending", false))));
    assertEquals(RolloutProgress.Outcome.WAITING, progress.outcome());

    assertEquals(
        List.of("web-2: running, healthy (revision 2)"),
        progress.observe(status(2, 2, instance("web-1", 2, "running", true), instance("web-2", 2, "running", true))));
    assertEquals(RolloutProgress.Outcome.DONE, progress.outcome());
  }

  @Test
  void waitsForInstancesNotPlacedYet() {
    RolloutProgress progress = new RolloutProgress("hello", 1);
    progress.observe(status(1, 2, instance("web-1", 1, "running", true)));
    assertEquals(RolloutProgress.Outcome.WAITING, progress.outcome());
    assertEquals("1 more instance not placed yet", progress.notReady());
  }

  @Test
  void aShortfallIsAWarningAndWhatWasPlacedIsEnough() {
    RolloutProgress progress = new RolloutProgress("hello", 1);
    AppStatus short1 = status(1, 3, instance("web-1", 1, "running", true)).toBuilder().setShortfall("2 of 3 hosts missing: only 1 host matches role=web").build();
    assertEquals(
        List.of("warning: 2 of 3 hosts missing: only 1 host matches role=web", "web-1: running, healthy (revision 1)"),
        progress.observe(short1));
    assertEquals(RolloutProgress.Outcome.DONE, progress.outcome());
  }

  @Test
  void removedInstancesDoNotCount() {
    RolloutProgress progress = new RolloutProgress("hello", 3);
    progress.observe(status(3, 1, instance("web-1", 3, "running", true), instance("web-2", 2, "removing", false)));
    assertEquals(RolloutProgress.Outcome.DONE, progress.outcome());
  }

  @Test
  void aFailedInstanceAtTheRevisionEndsTheWaitWithItsLog() {
    RolloutProgress progress = new RolloutProgress("hello", 2);
    Instance failed =
        instance("web-2", 2, "failed", false).toBuilder().setReason("gunicorn exited 3").addLogTail("ModuleNotFoundError: No module named 'app'").build();
    assertEquals(
        List.of("web-2: failed, not healthy (revision 2): gunicorn exited 3", "  | ModuleNotFoundError: No module named 'app'"),
        progress.observe(status(2, 1, failed)));
    assertEquals(RolloutProgress.Outcome.FAILED, progress.outcome());
    assertEquals("hello: revision 2 failed on web-2: gunicorn exited 3", progress.failure());
  }

  @Test
  void aNewerRevisionOrADeletionSupersedesTheWait() {
    RolloutProgress progress = new RolloutProgress("hello", 2);
    progress.observe(status(3, 1));
    assertEquals(RolloutProgress.Outcome.SUPERSEDED, progress.outcome());
    RolloutProgress deleted = new RolloutProgress("hello", 2);
    deleted.observe(status(2, 1).toBuilder().setExists(false).build());
    assertEquals(RolloutProgress.Outcome.SUPERSEDED, deleted.outcome());
  }

  @Test
  void unchangedHostsPrintNothing() {
    RolloutProgress progress = new RolloutProgress("hello", 1);
    progress.observe(status(1, 2, instance("web-1", 1, "starting", false)));
    assertEquals(List.of(), progress.observe(status(1, 2, instance("web-1", 1, "starting", false))));
  }
}
