package io.drover.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.drover.api.v1.AppStatus;
import io.drover.api.v1.Instance;
import io.drover.api.v1.Plan;
import io.drover.cli.command.CliRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per exit status of {@link ExitCode}, each through {@code drover} against a fake server. */
class ExitCodesTest {
  @TempDir Path dir;
  private final FakeOperatorService fake = new FakeOperatorService();
  private CliRun cli;
  private Path spec;

  @BeforeEach
  void start() throws Exception {
    cli = new CliRun(fake);
    Files.createDirectories(dir.resolve("app"));
    Files.writeString(dir.resolve("app/app.py"), "from flask import Flask\napp = Flask(__name__)\n");
    spec = Files.writeString(dir.resolve("hello.yaml"), """
        name: hello
        source: ./app
        gunicorn: {app: "app:app"}
        nginx: {domains: [hello.local]}
        health: {path: /healthz}
        placement: {count: 1}
        """);
  }

  @AfterEach
  void stop() {
    cli.close();
  }

  @Test
  void theCodesAreDistinct() {
    Set<Integer> codes = Arrays.stream(ExitCode.values()).map(ExitCode::code).collect(Collectors.toSet());
    assertEquals(ExitCode.values().length, codes.size());
  }

  @Test
  void zeroWhenDone() {
    assertEquals(new Result(0, "hello: revision 1 applied\n", ""), cli.drover("apply", "-f", spec.toString()));
  }

  @Test
  void oneWhenTheOperationFailed() {
    assertEquals(new Result(1, "", "drover: app \"nope\" not found\n"), cli.drover("status", "nope"));
  }

  @Test
  void twoWhenPlanHasChanges() {
    fake.plan = Plan.newBuilder().setRevision(1).setChanged(true).build();
    assertEquals(new Result(2, "hello: new app, revision 1\n", ""), cli.drover("plan", "-f", spec.toString()));
  }

  @Test
  void threeWhenWaitingTimedOut() {
    fake.watched.add(AppStatus.newBuilder().setApp("hello").setRevision(1).setExists(true).setDesired(1)
        .addInstances(Instance.newBuilder().setHost("web-1").setRevision(1).setState("starting")).build());
    Result result = cli.drover("apply", "-f", spec.toString(), "--wait", "--timeout", "1s");
    assertEquals(new Result(3, "hello: revision 1 applied\nweb-1: starting, not healthy (revision 1)\n",
        "drover: hello: revision 1 not ready after 1s: web-1 (starting, not healthy, revision 1)\n"), result);
  }

  @Test
  void sixtyFourForAUsageError() {
    assertEquals(new Result(64, "", "drover: unknown command \"aply\" (did you mean apply?)\n"),
        cli.drover("aply", "-f", spec.toString()));
    assertEquals(new Result(64, "", "drover: Missing required parameter: 'HOST' (see drover drain --help)\n"),
        CliRun.run("drain"));
  }

  @Test
  void versionNeedsNoServer() {
    Result version = CliRun.run(CliRun.environment(java.util.Map.of("DROVER_ADDR", "http://not-used")), "--version");
    assertEquals(0, version.status());
    assertEquals("", version.err());
  }
}
