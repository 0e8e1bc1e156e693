package io.drover.server.certs;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When an app's certificate is obtained or renewed, as a pure function of what is known of it and
 * the time. A certificate is renewed once a third of its lifetime is left (a 90-day certificate 30
 * days before it ends); one is obtained at once when there is none, or none that covers every domain
 * of the app; an operator's {@code drover cert renew} renews at once. After consecutive failures the
 * next attempt waits {@link #FIRST_BACKOFF}, doubled per failure up to {@link #MAX_BACKOFF}; a forced
 * renewal does not wait. A failed attempt never replaces the certificate that serves.
 */
public final class RenewalPolicy {
  /** How long the first retry after a failure waits. */
  public static final Duration FIRST_BACKOFF = Duration.ofMinutes(1);
  /** The longest wait between attempts of a failing app. */
  public static final Duration MAX_BACKOFF = Duration.ofHours(6);

  private RenewalPolicy() {}

  /**
   * What is known of an app's certificate.
   *
   * @param notBefore start of the serving certificate's validity; null when there is none
   * @param notAfter end of its validity; null when there is none
   * @param coversDomains whether it names every domain the app has now
   * @param failures consecutive failed attempts since the last success
   * @param lastFailure when the last of them failed; null when {@code failures} is 0
   * @param forced whether an operator asked for a renewal not made yet
   */
  public record Snapshot(Instant notBefore, Instant notAfter, boolean coversDomains, int failures, Instant lastFailure,
      boolean forced) {
    public Snapshot {
      if ((notBefore == null) != (notAfter == null)) {
        throw new IllegalArgumentException("a certificate has both ends of its validity, or neither");
      }
      if (failures < 0 || (failures > 0) != (lastFailure != null)) {
        throw new IllegalArgumentException("failures and the last failure go together");
      }
    }

    boolean hasCertificate() {
      return notAfter != null;
    }
  }

  /** What to do: ask the CA now ({@link Action#OBTAIN} or {@link Action#RENEW}), or nothing until {@code at}. */
  public record Decision(Action action, Instant at) {
    public Decision {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(at, "at");
    }
  }

  /** What a decision does. */
  public enum Action {
    /** Get a first certificate (or one for new domains): the app is {@link CertificateState#PENDING} meanwhile. */
    OBTAIN,
    /** Get a successor while the certificate serves: {@link CertificateState#RENEWING}. */
    RENEW,
    /** Nothing before {@code at}. */
    WAIT
  }

  /** The decision for {@code s} at {@code now}. */
  public static Decision decide(Snapshot s, Instant now) {
    boolean needed = !s.hasCertificate() || !s.coversDomains();
    Action action = needed ? Action.OBTAIN : Action.RENEW;
    if (s.forced()) {
      return new Decision(action, now);
    }
    Instant earliest = s.failures() > 0 ? retryAt(s.failures(), s.lastFailure()) : now;
    Instant due = needed ? now : renewAt(s.notBefore(), s.notAfter());
    Instant at = max(earliest, due);
    return at.isAfter(now) ? new Decision(Action.WAIT, at) : new Decision(action, now);
  }

  /** When a certificate valid from {@code notBefore} to {@code notAfter} is due: a third of its lifetime before its end. */
  public static Instant renewAt(Instant notBefore, Instant notAfter) {
    Duration lifetime = Duration.between(notBefore, notAfter);
    return notAfter.minus(lifetime.dividedBy(3));
  }

  /** The earliest next attempt after {@code failures} (at least 1) consecutive failures, the last at {@code lastFailure}. */
  public static Instant retryAt(int failures, Instant lastFailure) {
    return lastFailure.plus(backoff(failures));
  }

  /** The wait after {@code failures} consecutive failures: {@link #FIRST_BACKOFF} doubled per failure, at most {@link #MAX_BACKOFF}. */
  public static Duration backoff(int failures) {
    if (failures < 1) {
      return Duration.ZERO;
    }
    int doublings = Math.min(failures - 1, 30);
    Duration wait = FIRST_BACKOFF.multipliedBy(1L << doublings);
    return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
  }

  /** The state {@code drover certs} shows for {@code s} while {@code decision} holds. */
  public static CertificateState state(Snapshot s, Decision decision) {
    if (s.failures() > 0) {
      return CertificateState.FAILED;
    }
    if (!s.hasCertificate()) {
      return CertificateState.PENDING;
    }
    return decision.action() == Action.RENEW ? CertificateState.RENEWING : CertificateState.VALID;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
