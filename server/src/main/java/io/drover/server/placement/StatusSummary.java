package io.drover.server.placement;

import io.drover.api.v1.PlacementSpec;
import io.drover.server.placement.Placement.Candidate;
import java.util.List;

/**
 * What an app's status says of its placement: how many hosts it wants ({@code count}, or for {@code
 * all} the matching hosts) and, when too few match, why (empty otherwise). A pure function of the
 * placement and the hosts matching its selector.
 */
public record StatusSummary(int desired, String shortfall) {
  public static StatusSummary of(PlacementSpec placement, List<Candidate> hosts) {
    return new StatusSummary(Placement.wanted(placement, hosts), Placement.shortfall(placement, hosts));
  }
}
