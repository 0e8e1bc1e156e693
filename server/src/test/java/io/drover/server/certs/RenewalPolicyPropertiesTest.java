package io.drover.server.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.server.certs.RenewalPolicy.Action;
import io.drover.server.certs.RenewalPolicy.Decision;
import io.drover.server.certs.RenewalPolicy.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link RenewalPolicy} and {@link ChallengeGate} on random certificates, failures, clocks and
 * fleets. Seeded: a failure names its seed ({@code -Ddrover.seed=N} reruns it).
 */
class RenewalPolicyPropertiesTest {
  private static final int CASES = 5000;
  private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  private final long seed = Long.getLong("drover.seed", System.nanoTime());
  private final Random random = new Random(seed);

  private String rerun(int i) {
    return "seed " + seed + " (rerun with -Ddrover.seed=" + seed + "), case " + i;
  }

  private Instant at(long maxDays) {
    return EPOCH.plusSeconds((long) (random.nextDouble() * maxDays * 86_400));
  }

  private Snapshot snapshot() {
    Instant notBefore = random.nextInt(5) == 0 ? null : at(200);
    Instant notAfter = notBefore == null ? null
        : notBefore.plus(Duration.ofHours(1 + random.nextInt(random.nextBoolean() ? 24 : 90 * 24)));
    int failures = random.nextInt(3) == 0 ? 1 + random.nextInt(40) : 0;
    Instant lastFailure = failures == 0 ? null : at(300);
    return new Snapshot(notBefore, notAfter, random.nextInt(6) > 0, failures, lastFailure, random.nextInt(8) == 0);
  }

  @Test
  void aDecisionActsNowOrWaitsForALaterInstantAndKeepsItsRules() {
    for (int i = 0; i < CASES; i++) {
      Snapshot s = snapshot();
      Instant now = at(300);
      Decision d = RenewalPolicy.decide(s, now);
      String context = rerun(i) + ": " + s + " at " + now + " -> " + d;
      if (d.action() == Action.WAIT) {
        assertTrue(d.at().isAfter(now), context);
        assertEquals(d.action(), RenewalPolicy.decide(s, d.at().minusMillis(1)).action(), "waits until then: " + context);
        assertFalse(RenewalPolicy.decide(s, d.at()).action() == Action.WAIT, "acts at the instant it named: " + context);
      } else {
        assertEquals(now, d.at(), context);
        boolean needed = s.notAfter() == null || !s.coversDomains();
        assertEquals(needed ? Action.OBTAIN : Action.RENEW, d.action(), context);
      }
      if (!s.forced()) {
        if (s.failures() > 0 && now.isBefore(RenewalPolicy.retryAt(s.failures(), s.lastFailure()))) {
          assertEquals(Action.WAIT, d.action(), "a failing app backs off: " + context);
        }
        if (s.notAfter() != null && s.coversDomains() && now.isBefore(RenewalPolicy.renewAt(s.notBefore(), s.notAfter()))) {
          assertEquals(Action.WAIT, d.action(), "no renewal before a third of the lifetime is left: " + context);
        }
      } else {
        assertFalse(d.action() == Action.WAIT, "a forced renewal is at once: " + context);
      }
    }
  }

  @Test
  void renewalIsDueWhenAThirdOfTheLifetimeIsLeft() {
    Instant notBefore = Instant.parse("2026-03-01T00:00:00Z");
    assertEquals(Instant.parse("2026-04-30T00:00:00Z"), RenewalPolicy.renewAt(notBefore, notBefore.plus(Duration.ofDays(90))));
    for (int i = 0; i < CASES; i++) {
      Instant from = at(300);
      Duration lifetime = Duration.ofSeconds(60 + random.nextInt(400 * 86_400));
      Instant due = RenewalPolicy.renewAt(from, from.plus(lifetime));
      Duration left = Duration.between(due, from.plus(lifetime));
      assertTrue(left.minus(lifetime.dividedBy(3)).abs().toMillis() <= 1, rerun(i) + ": " + lifetime + " left " + left);
    }
  }

  @Test
  void theBackoffGrowsWithEachFailureUpToItsCap() {
    assertEquals(Duration.ZERO, RenewalPolicy.backoff(0));
    assertEquals(RenewalPolicy.FIRST_BACKOFF, RenewalPolicy.backoff(1));
    assertEquals(RenewalPolicy.FIRST_BACKOFF.multipliedBy(2), RenewalPolicy.backoff(2));
    Duration before = Duration.ZERO;
    for (int failures = 1; failures < 200; failures++) {
      Duration wait = RenewalPolicy.backoff(failures);
      assertTrue(wait.compareTo(before) >= 0, failures + " failures wait " + wait + ", fewer waited " + before);
      assertTrue(wait.compareTo(RenewalPolicy.MAX_BACKOFF) <= 0, failures + " failures wait " + wait);
      before = wait;
    }
    assertEquals(RenewalPolicy.MAX_BACKOFF, before);
  }

  @Test
  void theStateSaysPendingUntilACertificateAndFailedAfterAFailure() {
    Instant now = EPOCH;
    Snapshot none = new Snapshot(null, null, false, 0, null, false);
    assertEquals(CertificateState.PENDING, RenewalPolicy.state(none, RenewalPolicy.decide(none, now)));
    Snapshot fresh = new Snapshot(now, now.plus(Duration.ofDays(90)), true, 0, null, false);
    assertEquals(CertificateState.VALID, RenewalPolicy.state(fresh, RenewalPolicy.decide(fresh, now)));
    Instant due = now.plus(Duration.ofDays(61));
    assertEquals(CertificateState.RENEWING, RenewalPolicy.state(fresh, RenewalPolicy.decide(fresh, due)));
    Snapshot failing = new Snapshot(now, now.plus(Duration.ofDays(90)), true, 2, due, false);
    assertEquals(CertificateState.FAILED, RenewalPolicy.state(failing, RenewalPolicy.decide(failing, due)));
    for (CertificateState state : CertificateState.values()) {
      assertEquals(state, CertificateState.of(state.shown()));
    }
  }

  @Test
  void theGateOpensOnlyWhenEveryAssignedConnectedHostConfirmed() {
    for (int i = 0; i < CASES; i++) {
      Set<String> assigned = hosts();
      Set<String> connected = hosts();
      Set<String> confirmed = hosts();
      boolean open = ChallengeGate.open(assigned, connected, confirmed);
      Set<String> serving = new TreeSet<>(assigned);
      serving.retainAll(connected);
      String context = rerun(i) + ": assigned " + assigned + ", connected " + connected + ", confirmed " + confirmed;
      assertEquals(!serving.isEmpty() && ChallengeGate.awaited(assigned, connected, confirmed).isEmpty(), open, context);
      for (String host : ChallengeGate.awaited(assigned, connected, confirmed)) {
        assertTrue(assigned.contains(host) && connected.contains(host) && !confirmed.contains(host), context);
      }
      if (!serving.isEmpty()) {
        Set<String> all = new TreeSet<>(confirmed);
        all.addAll(serving);
        assertTrue(ChallengeGate.open(assigned, connected, all), "confirming the awaited opens it: " + context);
      }
    }
  }

  private Set<String> hosts() {
    Set<String> hosts = new TreeSet<>();
    for (int h = 0; h < 6; h++) {
      if (random.nextBoolean()) {
        hosts.add("web-" + h);
      }
    }
    return hosts;
  }
}
