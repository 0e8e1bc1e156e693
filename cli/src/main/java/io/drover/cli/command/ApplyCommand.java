package io.drover.cli.command;

import io.drover.spec.DurationText;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.ApplyAppRequest;
import io.drover.api.v1.ApplyAppResponse;
import io.drover.cli.bundle.Bundle;
import io.drover.cli.bundle.BundleUploader;
import io.drover.cli.output.JsonOutput;
import io.drover.cli.output.LiveBlock;
import io.drover.cli.output.Terminal;
import io.drover.cli.spec.InvalidSpecException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code drover apply}: checks a spec, uploads its bundle and stores it as the app's new revision. */
@Command(
    name = "apply",
    description = "Creates or updates an app from its spec file; with --wait, waits until every placed host serves it.")
public final class ApplyCommand implements Callable<Integer> {
  private final Terminal terminal;

  @Spec CommandSpec command;
  @Mixin ServerOptions server;
  @Mixin WaitOptions wait;
  @Mixin OutputOption output;

  @Option(names = {"-f", "--file"}, required = true, paramLabel = "SPEC.yaml", description = "The app's spec file.")
  Path file;

  ApplyCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    PackedSpec packed;
    try {
      packed = PackedSpec.read(file);
    } catch (InvalidSpecException e) {
      err.println(e.getMessage());
      err.flush();
      return ExitCode.FAILED.code();
    }
    Bundle bundle = packed.bundle();
    AppSpec app = packed.spec();
    try (OperatorConnection connection = server.connect()) {
      new BundleUploader(connection.channel(), OperatorConnection.UNARY_DEADLINE).ensureUploaded(bundle);
      ApplyAppResponse applied = connection.unary().applyApp(ApplyAppRequest.newBuilder().setSpec(app).build());
      if (output.json()) {
        JsonOutput.print(out, applied);
      } else {
        out.println(applied.getApp() + ": " + (applied.getChanged() ? "revision " + applied.getRevision() + " applied" : "unchanged at revision " + applied.getRevision()));
        out.flush();
      }
      if (wait.enabled()) {
        boolean live = output.json() ? terminal.stderrIsTerminal() : terminal.stdoutIsTerminal();
        PrintWriter progressOut = output.json() ? err : out;
        // The server rolls a new revision out host by host; without a rollout, follow the instances.
        if (!RolloutFollow.await(connection, applied.getApp(), applied.getRevision(), wait.timeout(), progressOut,
            live ? terminal : null)) {
          awaitRollout(connection, applied, progressOut, live ? terminal : null);
        }
      }
    }
    return ExitCode.OK.code();
  }

  /** Follows the rollout; on a terminal ({@code live} not null) one line per host is redrawn in place. */
  private void awaitRollout(OperatorConnection connection, ApplyAppResponse applied, PrintWriter progressOut, Terminal live) {
    RolloutProgress progress = new RolloutProgress(applied.getApp(), applied.getRevision());
    LiveBlock block = live == null ? null : new LiveBlock(progressOut);
    StatusWatch.Outcome watched =
        StatusWatch.follow(
            connection,
            applied.getApp(),
            wait.timeout(),
            status -> {
              List<String> lines = progress.observe(status);
              if (block == null) {
                lines.forEach(progressOut::println);
              } else {
                block.show(RolloutProgress.hostLines(status, live));
                lines.stream().filter(l -> l.startsWith("  | ")).forEach(progressOut::println); // a failure's log tail
              }
              progressOut.flush();
              return progress.outcome() != RolloutProgress.Outcome.WAITING;
            });
    if (!watched.done()) {
      throw CommandFailure.timedOut(
          applied.getApp() + ": revision " + applied.getRevision() + " not ready after "
              + DurationText.format(wait.timeout()) + ": " + progress.notReady() + watched.note());
    }
    if (progress.outcome() != RolloutProgress.Outcome.DONE) {
      throw new CommandFailure(progress.failure());
    }
    String done = applied.getApp() + ": revision " + applied.getRevision() + " is running and healthy";
    progressOut.println(live == null ? done : live.good(done));
    progressOut.flush();
  }
}
