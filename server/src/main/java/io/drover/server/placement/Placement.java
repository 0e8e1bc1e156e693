package io.drover.server.placement;

import io.drover.api.v1.PlacementSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Decides which hosts run an app: a pure function of the app's placement, the hosts, how loaded each
 * host is and where the app runs now.
 *
 * <p>A host matches when it carries every selector label with an equal value. {@code all} picks every
 * matching host, up or down. {@code count: N} keeps the current hosts that still match and are not
 * lost (an instance never moves without cause; a host that is briefly down keeps it), then fills up with matching up hosts that have the fewest
 * assignments, ties broken by name. When fewer hosts match, it places what fits. A drained host
 * matches nothing: it keeps no instance and gets none.
 */
public final class Placement {
  private Placement() {}

  /**
   * A host as placement sees it: {@code up} when it takes new instances; {@code lost} once it has
   * been down past the grace period, when the instances it had are placed elsewhere; {@code drained}
   * when an operator took it out of placement.
   */
  public record Candidate(String name, Map<String, String> labels, boolean up, boolean lost, boolean drained) {
    public Candidate {
      labels = Map.copyOf(labels);
    }

    /** A host that is not drained. */
    public Candidate(String name, Map<String, String> labels, boolean up, boolean lost) {
      this(name, labels, up, lost, false);
    }

    /** A host that is up, or down and lost. */
    public Candidate(String name, Map<String, String> labels, boolean up) {
      this(name, labels, up, !up);
    }
  }

  /**
   * The hosts that should run the app, sorted by name.
   *
   * @param spec the app's placement
   * @param hosts every known host
   * @param load number of assignments each host has (missing means none)
   * @param current the hosts that run the app now
   */
  public static List<String> choose(
      PlacementSpec spec, List<Candidate> hosts, Map<String, Integer> load, Set<String> current) {
    List<Candidate> matching = eligible(spec, hosts).toList();
    if (spec.getAll()) {
      return matching.stream().map(Candidate::name).sorted().toList();
    }
    int wanted = Math.max(0, spec.getCount());
    List<String> chosen = new ArrayList<>();
    matching.stream()
        .filter(h -> !h.lost() && current.contains(h.name()))
        .map(Candidate::name)
        .sorted()
        .limit(wanted)
        .forEach(chosen::add);
    matching.stream()
        .filter(h -> h.up() && !chosen.contains(h.name()))
        .sorted(Comparator.comparingInt((Candidate h) -> load.getOrDefault(h.name(), 0))
            .thenComparing(Candidate::name))
        .limit(wanted - chosen.size())
        .forEach(h -> chosen.add(h.name()));
    return chosen.stream().sorted().toList();
  }

  private static Stream<Candidate> eligible(PlacementSpec spec, List<Candidate> hosts) {
    return hosts.stream().filter(h -> !h.drained() && matches(spec.getLabelsMap(), h.labels()));
  }

  /** True when {@code labels} holds every selector label with an equal value. */
  public static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  /**
   * How many hosts the placement asks for: {@code count}, or for {@code all} the number of matching
   * hosts.
   */
  public static int wanted(PlacementSpec spec, List<Candidate> hosts) {
    if (spec.getAll()) {
      return (int) eligible(spec, hosts).count();
    }
    return Math.max(0, spec.getCount());
  }

  /**
   * Why the placement cannot be met, e.g. {@code 2 hosts wanted, 1 matches placement {role=web}}; empty
   * when enough hosts match.
   */
  public static String shortfall(PlacementSpec spec, List<Candidate> hosts) {
    long matching = eligible(spec, hosts).filter(h -> spec.getAll() || h.up()).count();
    if (spec.getAll()) {
      return matching == 0 ? "no host matches placement " + describe(spec) : "";
    }
    int wanted = Math.max(0, spec.getCount());
    if (matching >= wanted) {
      return "";
    }
    return wanted + (wanted == 1 ? " host" : " hosts") + " wanted, " + matching
        + (matching == 1 ? " matches" : " match") + " placement " + describe(spec);
  }

  /** The selector as {@code {role=web, zone=a}}, sorted by label. */
  public static String describe(PlacementSpec spec) {
    return new TreeMap<>(spec.getLabelsMap()).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", ", "{", "}"));
  }
}
