package io.drover.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A user's traffic during a fault: one background thread sending {@code GET /} with a chosen
 * {@code Host} to each agent's ingress in turn, one request every {@code pace}, at most
 * {@code maxRequests} requests and {@code maxTime}. It counts failures (non-200 or a failed
 * connection), the slowest request, and and the sequence of bodies each ingress served.
 */
final class FaultLoad implements AutoCloseable {
  /** One failed request: when, to which ingress, and what came back. */
  record Failure(Instant at, int port, String what) {}

  /** What the traffic saw. {@code bodies}: per ingress port, each body it served, again on every change. */
  record Summary(int requests, List<Failure> failures, long slowestMillis, Map<Integer, List<String>> bodies) {
    @Override
    public String toString() {
      return requests + " requests, " + failures.size() + " failed, slowest " + slowestMillis + " ms";
    }
  }

  private final List<Integer> ports;
  private final String host;
  private final long paceNanos;
  private final int maxRequests;
  private final long deadlineNanos;
  private final Thread thread;
  private volatile boolean stopped;
  private int requests;
  private long slowestNanos;
  private final List<Failure> failures = new ArrayList<>();
  private final Map<Integer, List<String>> bodies = new LinkedHashMap<>();

  private FaultLoad(List<Integer> ports, String host, Duration pace, int maxRequests, Duration maxTime) {
    this.ports = List.copyOf(ports);
    this.host = host;
    this.paceNanos = pace.toNanos();
    this.maxRequests = maxRequests;
    this.deadlineNanos = System.nanoTime() + maxTime.toNanos();
    for (int port : ports) {
      bodies.put(port, new ArrayList<>());
    }
    this.thread = Thread.ofPlatform().name("fault-load").daemon().unstarted(this::run);
  }

  /** Starts the traffic; it runs until {@link #stop()}, {@code maxRequests} or {@code maxTime}. */
  static FaultLoad start(List<Integer> ports, String host, Duration pace, int maxRequests, Duration maxTime) {
    FaultLoad load = new FaultLoad(ports, host, pace, maxRequests, maxTime);
    load.thread.start();
    return load;
  }

  /** Stops the traffic and returns what it saw; fails when it ran out of requests or time before being stopped. */
  Summary stop() {
    stopped = true;
    try {
      thread.join(Duration.ofSeconds(15));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted stopping the request loop", e);
    }
    synchronized (this) {
      if (requests >= maxRequests || System.nanoTime() > deadlineNanos) {
        throw new AssertionError("the request loop ended on its own bound (" + requests + " of at most " + maxRequests
            + " requests) before the scenario finished");
      }
      Map<Integer, List<String>> seen = new LinkedHashMap<>();
      bodies.forEach((port, list) -> seen.put(port, List.copyOf(list)));
      return new Summary(requests, List.copyOf(failures), slowestNanos / 1_000_000, seen);
    }
  }

  /** How many requests were sent so far. */
  synchronized int requests() {
    return requests;
  }

  @Override
  public void close() {
    stopped = true;
  }

  private void run() {
    int next = 0;
    while (!stopped && System.nanoTime() < deadlineNanos) {
      int port = ports.get(next++ % ports.size());
      long start = System.nanoTime();
      Http.Response r = Http.get(port, host, "/");
      long took = System.nanoTime() - start;
      synchronized (this) {
        requests++;
        slowestNanos = Math.max(slowestNanos, took);
        if (r.status() != 200) {
          failures.add(new Failure(Instant.now(), port, r.status() + " " + r.body().strip()));
        } else {
          List<String> served = bodies.get(port);
          if (served.isEmpty() || !served.getLast().equals(r.body())) {
            served.add(r.body());
          }
        }
        if (requests >= maxRequests) {
          return;
        }
      }
      // pacing between requests, not a wait for a condition
      LockSupport.parkNanos(Math.max(0, paceNanos - took));
    }
  }
}
