package io.drover.agent.reconcile;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a deployment's steps in order. When step k fails, the undos of steps k-1 down to 1 run, each
 * once, and the failure is rethrown as it was; an undo that fails is logged and attached to it
 * (suppressed), and the other undos still run.
 */
final class StepRunner {
  private static final Logger log = LoggerFactory.getLogger(StepRunner.class);

  private StepRunner() {}

  static void run(List<Step> steps, StepTimer timer) {
    Deque<Step> done = new ArrayDeque<>();
    for (Step step : steps) {
      try {
        step.action().run();
      } catch (RuntimeException failure) {
        log.debug("event=deploy_step_failed app={} step={} error=\"{}\"", timer.app(), step.name(), failure.getMessage());
        undo(done, failure, timer);
        throw failure;
      }
      done.push(step);
      timer.done(step.name());
    }
  }

  private static void undo(Deque<Step> done, RuntimeException failure, StepTimer timer) {
    while (!done.isEmpty()) {
      Step step = done.pop();
      try {
        step.undo().run();
        timer.done("undo_" + step.name());
      } catch (RuntimeException e) {
        log.warn("event=deploy_undo_failed app={} step={} error=\"{}\"", timer.app(), step.name(), e.getMessage(), e);
        failure.addSuppressed(e);
      }
    }
  }
}
