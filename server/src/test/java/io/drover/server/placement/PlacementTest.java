package io.drover.server.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.api.v1.PlacementSpec;
import io.drover.server.placement.Placement.Candidate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementTest {
  private static final Map<String, String> WEB = Map.of("role", "web");

  private static Candidate up(String name, Map<String, String> labels) {
    return new Candidate(name, labels, true);
  }

  private static Candidate down(String name, Map<String, String> labels) {
    return new Candidate(name, labels, false);
  }

  private static PlacementSpec count(int n) {
    return PlacementSpec.newBuilder().putAllLabels(WEB).setCount(n).build();
  }

  @Test
  void hostMatchesWhenItCarriesEverySelectorLabelWithEqualValue() {
    assertTrue(Placement.matches(WEB, Map.of("role", "web", "zone", "a")));
    assertFalse(Placement.matches(WEB, Map.of("role", "db")));
    assertFalse(Placement.matches(Map.of("role", "web", "zone", "a"), WEB));
    assertTrue(Placement.matches(Map.of(), Map.of()));
  }

  @Test
  void countPicksHostsWithFewestAssignmentsTiesByName() {
    List<Candidate> hosts = List.of(up("c", WEB), up("b", WEB), up("a", WEB), up("db", Map.of("role", "db")));
    List<String> chosen = Placement.choose(count(2), hosts, Map.of("a", 3, "b", 1), Set.of());
    assertEquals(List.of("b", "c"), chosen);
  }

  @Test
  void countKeepsCurrentHostsThatStillMatchAndAreUp() {
    List<Candidate> hosts = List.of(up("a", WEB), up("b", WEB), up("c", WEB));
    // "c" is busiest, but it already runs the app: it stays.
    List<String> chosen = Placement.choose(count(2), hosts, Map.of("c", 9), Set.of("c"));
    assertEquals(List.of("a", "c"), chosen);
  }

  @Test
  void countMovesAwayFromHostsThatAreDownOrNoLongerMatch() {
    List<Candidate> hosts = List.of(down("a", WEB), up("b", Map.of("role", "db")), up("c", WEB), up("d", WEB));
    List<String> chosen = Placement.choose(count(2), hosts, Map.of(), Set.of("a", "b"));
    assertEquals(List.of("c", "d"), chosen);
  }

  @Test
  void countPlacesWhatFitsAndReportsTheShortfall() {
    List<Candidate> hosts = List.of(up("a", WEB), down("b", WEB), up("db", Map.of("role", "db")));
    assertEquals(List.of("a"), Placement.choose(count(2), hosts, Map.of(), Set.of()));
    assertEquals("2 hosts wanted, 1 matches placement {role=web}", Placement.shortfall(count(2), hosts));
    assertEquals("", Placement.shortfall(count(1), hosts));
  }

  @Test
  void allPicksEveryMatchingHostUpOrDown() {
    PlacementSpec all = PlacementSpec.newBuilder().putAllLabels(WEB).setAll(true).build();
    List<Candidate> hosts = List.of(up("b", WEB), down("a", WEB), up("db", Map.of("role", "db")));
    assertEquals(List.of("a", "b"), Placement.choose(all, hosts, Map.of(), Set.of()));
    assertEquals(2, Placement.wanted(all, hosts));
    assertEquals("", Placement.shortfall(all, hosts));
    assertEquals("no host matches placement {role=web}", Placement.shortfall(all, List.of()));
  }

  @Test
  void countNeverPlacesMoreThanAsked() {
    List<Candidate> hosts = List.of(up("a", WEB), up("b", WEB), up("c", WEB));
    assertEquals(List.of("a", "b"), Placement.choose(count(2), hosts, Map.of(), Set.of("a", "b", "c")));
  }

  @Test
  void aDrainedHostKeepsNoInstanceAndGetsNone() {
    Candidate drained = new Candidate("a", WEB, true, false, true);
    List<Candidate> hosts = List.of(drained, up("b", WEB), up("c", WEB));
    assertEquals(List.of("b", "c"), Placement.choose(count(2), hosts, Map.of(), Set.of("a", "b")));
    PlacementSpec all = PlacementSpec.newBuilder().putAllLabels(WEB).setAll(true).build();
    assertEquals(List.of("b", "c"), Placement.choose(all, hosts, Map.of(), Set.of("a")));
    assertEquals(2, Placement.wanted(all, hosts));
    assertEquals("3 hosts wanted, 2 match placement {role=web}", Placement.shortfall(count(3), hosts));
  }
}
