package io.drover.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The stage of one fault test: a fresh database, a server and {@code web-1…web-N} sandboxed agents
 * (label {@code role=web}), a copy of examples/hello, and the user traffic through every ingress.
 * Logs of the run go to target/fleet-logs/NAME, emptied first so that a test reads only its own run.
 */
final class FaultScenario implements AutoCloseable {
  static final String OLD = "Hello from drover\n";

  final Fleet fleet;
  final List<Fleet.Agent> hosts = new ArrayList<>();
  private final Path tmp;
  /** The fresh database of this scenario, or null when the test brought its own. */
  private final TestDatabase db;

  private FaultScenario(Path tmp, String name, TestDatabase db, String databaseUrl) {
    this.tmp = tmp;
    deleteTree(Path.of("target", "fleet-logs", name));
    this.db = db;
    this.fleet = new Fleet(tmp.resolve("fleet"), databaseUrl, name);
  }

  /** Starts the server and {@code webHosts} agents on a fresh database. */
  static FaultScenario start(Path tmp, String name, int webHosts) {
    TestDatabase db = TestDatabase.create();
    return start(new FaultScenario(tmp, name, db, db.url()), webHosts);
  }

  /** Starts the server and {@code webHosts} agents on the test's own database, which the test also closes. */
  static FaultScenario start(Path tmp, String name, int webHosts, String databaseUrl) {
    return start(new FaultScenario(tmp, name, null, databaseUrl), webHosts);
  }

  private static FaultScenario start(FaultScenario s, int webHosts) {
    try {
      s.fleet.startServer();
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= webHosts; i++) {
        names.add("web-" + i);
      }
      s.hosts.addAll(s.fleet.startAgents(names, "role=web"));
      return s;
    } catch (RuntimeException | AssertionError e) {
      s.close();
      throw e;
    }
  }

  /** A copy of examples/hello placed on every web host, with the given {@code update} mapping (YAML flow style). */
  Path hello(String update) {
    Path spec = Examples.copy("hello", tmp.resolve("hello"));
    Examples.edit(spec, "count: 2}", "count: all}\nupdate: " + update);
    return spec;
  }

  /** {@code drover apply -f spec --wait}, which must succeed, and every host serving {@code body}. */
  void applyAndAwaitServed(Path spec, String body) {
    fleet.cli("apply", "-f", spec.toString(), "--wait").requireSuccess();
    for (Fleet.Agent a : hosts) {
      Http.Response r = a.get("hello.local", "/");
      if (r.status() != 200 || !r.body().equals(body)) {
        throw new AssertionError(a.name + " serves " + r + " after apply --wait, expected " + body);
      }
    }
  }

  /**
   * Traffic to every web host's ingress: a request every 20 ms, for at most 4 minutes (a scenario
   * takes well under one, unless a {@code ./drover} command first rebuilds the jar).
   */
  FaultLoad load() {
    return load(hosts);
  }

  /** Like {@link #load()}, to the ingress of {@code to} only. */
  static FaultLoad load(List<Fleet.Agent> to) {
    List<Integer> ports = to.stream().map(a -> a.ingressPort).toList();
    Duration maxTime = Duration.ofMinutes(4);
    return FaultLoad.start(ports, "hello.local", Duration.ofMillis(20), (int) (maxTime.toMillis() / 20), maxTime);
  }

  /**
   * Every ingress served {@code from} first and {@code to} last, and nothing else. While nginx
   * reloads, its old and new workers both accept for a few milliseconds, so a host may answer with
   * the old body once more just after its first new one; that is not asserted away.
   */
  static void assertSwitched(FaultLoad.Summary traffic, String from, String to) {
    traffic.bodies().forEach((port, bodies) -> {
      String seen = "ingress " + port + " served " + bodies;
      if (bodies.isEmpty() || !bodies.getFirst().equals(from) || !bodies.getLast().equals(to)
          || !bodies.stream().allMatch(b -> b.equals(from) || b.equals(to))) {
        throw new AssertionError(seen + ", expected " + from.strip() + " then " + to.strip());
      }
    });
  }

  JsonNode status() {
    return fleet.json("status", "hello", "-o", "json");
  }

  /** The revisions {@code drover history hello -o json} lists, oldest first. */
  List<Long> historyRevisions() {
    JsonNode revisions = fleet.json("history", "hello", "-o", "json");
    List<Long> list = new ArrayList<>();
    revisions.forEach(r -> list.add(r.path("revision").asLong()));
    list.sort(Comparator.naturalOrder());
    return list;
  }

  /** The instance of hello on {@code host} in {@code drover status hello -o json}. */
  static JsonNode instanceOn(JsonNode status, String host) {
    for (JsonNode i : status.path("instances")) {
      if (i.path("host").asText().equals(host)) {
        return i;
      }
    }
    throw new AssertionError("no instance on " + host + " in " + status);
  }

  /** The lines of a process's log (an agent's name or "server") that contain {@code text}. */
  List<String> logLines(String process, String text) {
    Path log = fleet.log(process);
    try (Stream<String> lines = Files.lines(log)) {
      return lines.filter(l -> l.contains(text)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + log, e);
    }
  }

  /** When a log line was written: its first word is an ISO-8601 instant. */
  static Instant loggedAt(String line) {
    return Instant.parse(line.substring(0, line.indexOf(' ')));
  }

  @Override
  public void close() {
    try {
      fleet.close();
    } finally {
      if (db != null) {
        db.close();
      }
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
