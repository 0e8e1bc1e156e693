package io.drover.server.security;

import io.drover.server.changes.ChangeNotice;
import io.drover.server.store.CertificateStore;
import io.drover.server.store.CertificateStore.AgentCertificate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live agent certificates this server has looked up, so an agent's calls (its stream, every
 * bundle download, every reconnect) are checked without a query each.
 *
 * <p>Every revocation publishes a change notice naming the host (removing a host, enrolling it
 * again), which reaches every server through {@code LISTEN} within a second. {@link #onChange} then
 * asks the store, in one query per notice, which of the named hosts' cached certificates are revoked
 * and forgets those; a lost {@code LISTEN} connection reports "everything changed", which checks them
 * all. A notice that names every host (a {@code count: all} change) thus costs one query, not one per
 * agent. A lookup that raced a notice is not kept.
 */
public final class AgentCertificates {
  private static final Logger log = LoggerFactory.getLogger(AgentCertificates.class);
  /** Beyond this many entries the cache starts over (a bound on memory, far above any fleet). */
  static final int MAX_ENTRIES = 200_000;

  /** What the cache reads: one certificate, and which of some are revoked. */
  interface Source {
    Optional<AgentCertificate> find(String serial);

    Set<String> revokedAmong(Collection<String> serials);
  }

  /** How many lookups may wait on the database at once: a connect storm queues instead of draining the pool. */
  static final int LOOKUP_PERMITS = 3;

  private final Source store;
  private final Semaphore lookupTurns = new Semaphore(LOOKUP_PERMITS, true);
  private final Map<String, AgentCertificate> bySerial = new ConcurrentHashMap<>();
  /** Host name to the serials of its cached certificates. */
  private final Map<String, Set<String>> byHost = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final AtomicLong lookups = new AtomicLong();

  /** Over the certificate store. */
  public AgentCertificates(CertificateStore certificates) {
    this(new Source() {
      @Override
      public Optional<AgentCertificate> find(String serial) {
        return certificates.find(serial);
      }

      @Override
      public Set<String> revokedAmong(Collection<String> serials) {
        return certificates.revokedAmong(serials);
      }
    });
  }

  AgentCertificates(Source store) {
    this.store = store;
  }

  /** The certificate with {@code serial} as recorded; empty when none was issued. */
  public Optional<AgentCertificate> find(String serial) {
    AgentCertificate cached = bySerial.get(serial);
    if (cached != null) {
      return Optional.of(cached);
    }
    long before = generation.get();
    lookups.incrementAndGet();
    Optional<AgentCertificate> found = lookup(serial);
    found.filter(c -> c.revokedAt() == null).ifPresent(c -> {
      if (bySerial.size() >= MAX_ENTRIES) {
        bySerial.clear();
        byHost.clear();
      }
      byHost.computeIfAbsent(c.host(), h -> ConcurrentHashMap.newKeySet()).add(serial);
      bySerial.put(serial, c);
      if (generation.get() != before) {
        // a notice came while we read: the row may be older than the revocation it announced
        bySerial.remove(serial, c);
      }
    });
    return found;
  }

  private Optional<AgentCertificate> lookup(String serial) {
    try {
      lookupTurns.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to look up certificate " + serial, e);
    }
    try {
      return store.find(serial);
    } finally {
      lookupTurns.release();
    }
  }

  /**
   * Forgets the cached certificates of the hosts {@code notice} names that are now revoked (all
   * hosts for "everything"); when the store cannot say, forgets them all, to be looked up again.
   */
  public void onChange(ChangeNotice notice) {
    if (!notice.allHosts() && notice.hosts().isEmpty()) {
      return;
    }
    generation.incrementAndGet();
    List<String> serials = notice.allHosts() ? List.copyOf(bySerial.keySet()) : notice.hosts().stream()
        .flatMap(h -> byHost.getOrDefault(h, Set.of()).stream())
        .filter(bySerial::containsKey)
        .toList();
    if (serials.isEmpty()) {
      return;
    }
    try {
      store.revokedAmong(serials).forEach(this::forget);
    } catch (RuntimeException e) {
      log.warn("event=certificate_check_failed certificates={} error={}", serials.size(), e.toString());
      serials.forEach(this::forget);
    }
  }

  private void forget(String serial) {
    AgentCertificate gone = bySerial.remove(serial);
    if (gone != null) {
      byHost.computeIfPresent(gone.host(), (h, set) -> {
        set.remove(serial);
        return set.isEmpty() ? null : set;
      });
    }
  }

  /** How many lookups reached the store. */
  long lookups() {
    return lookups.get();
  }
}
