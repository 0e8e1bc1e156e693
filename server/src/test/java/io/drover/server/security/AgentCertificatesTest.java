package io.drover.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.drover.server.changes.ChangeNotice;
import io.drover.server.store.CertificateStore.AgentCertificate;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The certificate cache asks the store once per certificate, and once per notice which of the named
 * hosts' certificates are revoked (the store here is a table in memory the test revokes in).
 */
class AgentCertificatesTest {
  private static final OffsetDateTime NOT_AFTER = OffsetDateTime.parse("2031-01-01T00:00:00Z");

  /** Certificates by serial, as the certificate table would hold them. */
  private final Map<String, AgentCertificate> table = new HashMap<>();
  private int revocationChecks;

  private final AgentCertificates cache = new AgentCertificates(new AgentCertificates.Source() {
    @Override
    public Optional<AgentCertificate> find(String serial) {
      return Optional.ofNullable(table.get(serial));
    }

    @Override
    public Set<String> revokedAmong(Collection<String> serials) {
      revocationChecks++;
      return serials.stream().filter(s -> table.containsKey(s) && table.get(s).revokedAt() != null)
          .collect(Collectors.toSet());
    }
  });

  private void issue(String serial, String host) {
    table.put(serial, new AgentCertificate(serial, host, Map.of(), NOT_AFTER, null));
  }

  private void revoke(String serial) {
    AgentCertificate c = table.get(serial);
    table.put(serial, new AgentCertificate(serial, c.host(), c.labels(), c.notAfter(), NOT_AFTER.minusYears(1)));
  }

  @Test
  void aFleetsCallsAreCheckedWithOneLookupPerCertificate() {
    for (int i = 0; i < 1000; i++) {
      issue("s" + i, "web-" + i);
    }
    for (int round = 0; round < 10; round++) {
      for (int i = 0; i < 1000; i++) {
        assertEquals("web-" + i, cache.find("s" + i).orElseThrow().host());
      }
    }
    assertEquals(1000, cache.lookups());

    // a change that names every host: one revocation check, nothing looked up again
    cache.onChange(ChangeNotice.EVERYTHING);
    cache.onChange(ChangeNotice.hosts(table.values().stream().map(AgentCertificate::host).toList()));
    for (int i = 0; i < 1000; i++) {
      cache.find("s" + i);
    }
    assertEquals(2, revocationChecks);
    assertEquals(1000, cache.lookups());
  }

  @Test
  void aRevocationNoticeEndsTheCachedCertificate() {
    issue("s1", "web-1");
    issue("s2", "web-2");
    assertNull(cache.find("s1").orElseThrow().revokedAt());
    cache.find("s2");

    revoke("s1");
    assertNull(cache.find("s1").orElseThrow().revokedAt(), "until the notice arrives");
    cache.onChange(ChangeNotice.hosts(Set.of("web-1")));
    assertNotNull(cache.find("s1").orElseThrow().revokedAt(), "the revocation is seen after the notice");
    cache.find("s2");
    assertEquals(3, cache.lookups(), "web-2's certificate stayed cached");
  }

  @Test
  void aRevokedOrUnknownCertificateIsNeverCached() {
    issue("s1", "web-1");
    revoke("s1");
    cache.find("s1");
    cache.find("s1");
    cache.find("nope");
    cache.find("nope");
    assertEquals(4, cache.lookups());
  }
}
