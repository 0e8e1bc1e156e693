package io.drover.server.certs;

import java.util.Set;
import java.util.TreeSet;

/**
 * When the CA may be asked to validate an app's HTTP-01 challenge: the CA may ask any host the app's
 * domains point at, so every host the app is assigned to that is connected must have confirmed that
 * its nginx serves the key authorization, and at least one must be. Hosts that are not connected
 * cannot be told, and do not hold it up (their nginx still answers with what it last had).
 */
public final class ChallengeGate {
  private ChallengeGate() {}

  /** Whether to ask the CA to validate now. */
  public static boolean open(Set<String> assigned, Set<String> connected, Set<String> confirmed) {
    Set<String> serving = new TreeSet<>(assigned);
    serving.retainAll(connected);
    return !serving.isEmpty() && confirmed.containsAll(serving);
  }

  /** The assigned, connected hosts that have not confirmed yet, sorted: what the gate waits for. */
  public static Set<String> awaited(Set<String> assigned, Set<String> connected, Set<String> confirmed) {
    Set<String> awaited = new TreeSet<>(assigned);
    awaited.retainAll(connected);
    awaited.removeAll(confirmed);
    return awaited;
  }
}
