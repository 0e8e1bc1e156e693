package io.drover.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.drover.agent.health.HttpProbe;
import io.drover.agent.host.HostCommand;
import io.drover.api.v1.AppSpec;
import io.drover.api.v1.Assignment;
import io.drover.api.v1.Assignments;
import io.drover.api.v1.GunicornSpec;
import io.drover.api.v1.HealthSpec;
import io.drover.api.v1.InstanceState;
import io.drover.api.v1.NginxSpec;
import io.drover.testing.Await;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The examples/hello app deployed by a sandboxed agent under test: its assignments, waiting for the
 * state the agent reports to the fake server, and looking at it through the sandbox's nginx and
 * supervisord.
 */
record SandboxedHello(FakeAgentService fake, InetSocketAddress ingress, Path sandboxDir, String sha) {
  static final Duration DEPLOY = Duration.ofSeconds(60);

  void awaitState(long revision, InstanceState state) {
    Await.until(DEPLOY, "hello r" + revision + " " + state + ", last: " + fake.latest("hello"),
        () -> fake.reached("hello", revision, state));
  }

  String getThroughNginx(String path) throws IOException {
    HttpProbe.Response r = HttpProbe.get(ingress, "hello.local", path, Duration.ofSeconds(5));
    assertEquals(200, r.status(), r.body());
    return r.body();
  }

  HostCommand.Result ctl(String... args) {
    return HostCommand.run(HostCommand.of(
        List.of("/usr/bin/supervisorctl", "-c", sandboxDir.resolve("supervisor/supervisord.conf").toString()), args),
        Duration.ofSeconds(20));
  }

  Assignment assignment(long revision, String greeting) {
    return Assignment.newBuilder()
        .setApp("hello")
        .setRevision(revision)
        .setSpec(AppSpec.newBuilder()
            .setName("hello")
            .setBundleSha256(sha)
            .setGunicorn(GunicornSpec.newBuilder().setApp("app:app").setWorkers(1))
            .setNginx(NginxSpec.newBuilder().addDomains("hello.local"))
            .setHealth(HealthSpec.newBuilder().setPath("/healthz"))
            .putEnv("GREETING", greeting))
        .build();
  }

  static Assignments assignments(Assignment... all) {
    return Assignments.newBuilder().addAllAssignments(List.of(all)).build();
  }
}
