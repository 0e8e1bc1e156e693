package io.drover.server.store;

import static io.drover.server.store.db.Tables.HOST;

import io.drover.server.placement.Placement.Candidate;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.jooq.DSLContext;

/**
 * Reads hosts as placement sees them. A host counts as up while its state is "up" and it was seen
 * recently: a server that died without marking its hosts down does not keep them up forever.
 */
public final class HostCandidates {
  private final Clock clock;
  private final Duration staleAfter;

  public HostCandidates(Clock clock, Duration staleAfter) {
    this.clock = clock;
    this.staleAfter = staleAfter;
  }

  public List<Candidate> load(DSLContext dsl) {
    return dsl.select(HOST.NAME, HOST.LABELS, HOST.STATE, HOST.LAST_SEEN)
        .from(HOST)
        .orderBy(HOST.NAME)
        .fetch(r -> new Candidate(r.value1(), JsonColumns.labels(r.value2()), up(r.value3(), r.value4())));
  }

  boolean up(String state, OffsetDateTime lastSeen) {
    return "up".equals(state) && !lastSeen.toInstant().plus(staleAfter).isBefore(clock.instant());
  }
}
