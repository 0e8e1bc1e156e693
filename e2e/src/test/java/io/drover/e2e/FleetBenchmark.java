package io.drover.e2e;

import io.drover.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The 3-host benchmark: seconds from {@code drover apply} to every host serving the new greeting
 * (initial and changed releases), then to every host serving it over HTTPS with a provided certificate
 * (a new revision), agent RSS and CPU seconds, server RSS, and the startup time of
 * {@code ./drover dev} until the greeting is served (target under 15 s). Prints figures; asserts
 * nothing about speed. Run with {@code e2e/benchmark}.
 */
public final class FleetBenchmark {
  private static final int CHANGES = 5;
  private static final long SERVE_TIMEOUT_NANOS = 60_000_000_000L;

  private FleetBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path tmp = Files.createTempDirectory("drover-bench");
    try (TestDatabase db = TestDatabase.create();
        Fleet fleet = new Fleet(tmp.resolve("fleet"), db.url(), "benchmark")) {
      fleet.startServer();
      List<Fleet.Agent> hosts = new ArrayList<>();
      List<Integer> tlsPorts = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        tlsPorts.add(Fleet.freePort());
        hosts.add(fleet.startAgentWithTls("web-" + i, "role=web", tlsPorts.get(i - 1)));
      }
      Path spec = Examples.copy("hello", tmp.resolve("hello"));
      Examples.edit(spec, "count: 2", "count: all");
      // A parallel release: all three hosts at once, no soak time between batches.
      Examples.edit(spec, "count: all}", "count: all}\nupdate: {max_parallel: 3, min_healthy: 0s}");

      double initial = applyAndTimeServed(fleet, hosts, spec, "Hello from drover\n");
      List<Double> changes = new ArrayList<>();
      String previous = "Hello from drover";
      for (int i = 1; i <= CHANGES; i++) {
        String next = "Hello number " + i;
        Examples.edit(spec, previous, next);
        previous = next;
        changes.add(applyAndTimeServed(fleet, hosts, spec, next + "\n"));
      }
      Collections.sort(changes);
      double https = applyCertificateAndTimeServed(fleet, tlsPorts, spec, tmp.resolve("tls"));

      System.out.println();
      System.out.println("Drover 3-host benchmark (" + Runtime.getRuntime().availableProcessors() + " cores)");
      print("apply -> served on 3 hosts, initial release", initial, "s");
      print("apply -> served on 3 hosts, changed greeting (median of " + CHANGES + ")", changes.get(CHANGES / 2), "s");
      print("apply -> served on 3 hosts, changed greeting (worst)", changes.get(CHANGES - 1), "s");
      print("apply a provided certificate -> HTTPS served on 3 hosts", https, "s");
      for (Fleet.Agent a : hosts) {
        long pid = a.process.pid();
        print("agent " + a.name + " RSS", Processes.rssBytes(pid).orElse(-1L) / 1048576.0, "MiB");
        print("agent " + a.name + " CPU", Processes.cpuSeconds(pid), "s");
      }
      long server = fleet.serverProcess().pid();
      print("server RSS", Processes.rssBytes(server).orElse(-1L) / 1048576.0, "MiB");
      print("server CPU", Processes.cpuSeconds(server), "s");
    }
    print("./drover dev (clean data dir, warm build) -> greeting served", devStartup(tmp.resolve("dev")), "s");
  }

  /** Seconds from starting {@code ./drover dev} on a clean data dir until its printed address serves the greeting. */
  private static double devStartup(Path dir) throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    try (DevRun dev = DevRun.start(null, home, dir.resolve("state"), dir.resolve("dev.log"))) {
      int port = dev.awaitServedPort(java.time.Duration.ofSeconds(60));
      io.drover.testing.Await.until(java.time.Duration.ofSeconds(60), "the greeting",
          () -> "Hello from drover\n".equals(Http.get(port, "hello.local", "/").body()));
      double seconds = (System.nanoTime() - dev.startedNanos) / 1e9;
      dev.interrupt(java.time.Duration.ofSeconds(60));
      return seconds;
    }
  }

  /** Runs {@code drover apply} (no --wait) and returns seconds until every host serves {@code body}. */
  private static double applyAndTimeServed(Fleet fleet, List<Fleet.Agent> hosts, Path spec, String body) {
    long start = System.nanoTime();
    fleet.cli("apply", "-f", spec.toString()).requireSuccess();
    List<Fleet.Agent> waiting = new ArrayList<>(hosts);
    while (!waiting.isEmpty()) {
      if (System.nanoTime() - start > SERVE_TIMEOUT_NANOS) {
        throw new AssertionError("not served within 60 s on " + waiting.stream().map(a -> a.name).toList());
      }
      waiting.removeIf(a -> body.equals(a.get("hello.local", "/").body()));
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * Adds a provided certificate to the spec, runs {@code drover apply} (no --wait) and returns seconds
   * until every host's TLS port answers the greeting over HTTPS with that certificate (curl).
   */
  private static double applyCertificateAndTimeServed(Fleet fleet, List<Integer> tlsPorts, Path spec, Path dir)
      throws Exception {
    io.drover.testing.TestCertificates.Issued cert =
        io.drover.testing.TestCertificates.selfSigned(dir, "hello", List.of("hello.local"));
    Examples.edit(spec, "nginx: {domains: [hello.local]}", "nginx: {domains: [hello.local], tls: {certificate: "
        + cert.certificateFile() + ", key: " + cert.keyFile() + "}}");
    long start = System.nanoTime();
    fleet.cli("apply", "-f", spec.toString()).requireSuccess();
    List<Integer> waiting = new ArrayList<>(tlsPorts);
    while (!waiting.isEmpty()) {
      if (System.nanoTime() - start > SERVE_TIMEOUT_NANOS) {
        throw new AssertionError("HTTPS not served within 60 s on ports " + waiting);
      }
      waiting.removeIf(port -> servesOverHttps(cert.certificateFile(), port));
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static boolean servesOverHttps(Path ca, int port) {
    try {
      Process p = new ProcessBuilder("curl", "-sf", "--max-time", "2", "--cacert", ca.toString(), "--resolve",
          "hello.local:" + port + ":127.0.0.1", "https://hello.local:" + port + "/").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void print(String what, double value, String unit) {
    System.out.println(String.format(Locale.ROOT, "  %-62s %8.2f %s", what, value, unit));
  }
}
