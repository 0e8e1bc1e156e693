package io.drover.cli.command;

import io.drover.spec.DurationText;
import io.drover.api.v1.AppStatus;
import io.drover.api.v1.GetAppStatusRequest;
import io.drover.api.v1.GetRolloutRequest;
import io.drover.api.v1.Instance;
import io.drover.api.v1.Rollout;
import io.drover.cli.output.LiveBlock;
import io.drover.cli.output.Terminal;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.time.Duration;

/** Follows the server's rollout of one revision until it succeeds, fails, is reverted or time runs out. */
final class RolloutFollow {
  private RolloutFollow() {}

  /**
   * Prints the rollout's progress (redrawn in place when {@code live} is not null) and returns true
   * once it succeeded; returns false at once when the server has no rollout of {@code revision}.
   *
   * @throws CommandFailure when it failed, was reverted or superseded ({@link ExitCode#FAILED}), or
   *     {@code timeout} passed ({@link ExitCode#TIMED_OUT})
   */
  static boolean await(OperatorConnection connection, String app, long revision, Duration timeout, PrintWriter out,
      Terminal live) {
    GetRolloutRequest request = GetRolloutRequest.newBuilder().setApp(app).build();
    Rollout first;
    try {
      first = connection.unary().getRollout(request);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND || e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return false;
      }
      throw e;
    }
    if (first.getRevision() < revision) {
      return false;
    }
    RolloutView view = new RolloutView(revision);
    LiveBlock block = live == null ? null : new LiveBlock(out);
    StatusWatch.Outcome watched = StatusWatch.follow(connection, timeout,
        left -> connection.streaming(left).watchRollout(request), rollout -> {
      var lines = view.observe(rollout);
      if (block == null) {
        lines.forEach(out::println);
      } else {
        block.show(RolloutView.liveLines(rollout, live));
      }
      out.flush();
      return view.finished();
    });
    if (!watched.done()) {
      throw CommandFailure.timedOut(app + ": revision " + revision + " not rolled out after "
          + DurationText.format(timeout) + ": waiting for " + view.waiting() + watched.note());
    }
    if (!view.succeeded()) {
      printFailedLogs(connection, app, revision, out);
      throw new CommandFailure(view.failure());
    }
    String done = app + ": revision " + revision + " rolled out, running and healthy";
    out.println(live == null ? done : live.good(done));
    out.flush();
    return true;
  }

  /** The log tail of each instance of {@code revision} that failed, so the operator sees why. */
  private static void printFailedLogs(OperatorConnection connection, String app, long revision, PrintWriter out) {
    AppStatus status;
    try {
      status = connection.unary().getAppStatus(GetAppStatusRequest.newBuilder().setApp(app).build());
    } catch (StatusRuntimeException e) {
      out.println(app + ": cannot read the log of the failed instances: " + e.getStatus().getDescription());
      return;
    }
    for (Instance instance : status.getInstancesList()) {
      if (instance.getRevision() == revision && instance.getState().equals("failed") && instance.getLogTailCount() > 0) {
        out.println(instance.getHost() + ": log of revision " + revision + ":");
        instance.getLogTailList().forEach(line -> out.println("  | " + line));
      }
    }
    out.flush();
  }
}
