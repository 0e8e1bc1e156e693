package io.drover.spec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The known word a mistyped one most likely meant, for hints such as {@code did you mean workers?}:
 * the closest by Damerau-Levenshtein distance (letters added, dropped, changed or two neighbours
 * swapped; case ignored), within 1 for words of up to 3 letters and 2 for longer ones, else the one
 * known word the typed one starts (3 letters at least). Ties go to the word listed first.
 */
public final class DidYouMean {
  private DidYouMean() {}

  /** The word of {@code known} that {@code typed} most likely meant, if any is close enough. */
  public static Optional<String> closest(String typed, Collection<String> known) {
    List<String> near = nearest(typed, known);
    if (near.isEmpty()) {
      return Optional.empty();
    }
    boolean byDistance = distance(typed.toLowerCase(Locale.ROOT), near.getFirst().toLowerCase(Locale.ROOT))
        <= limit(typed);
    return byDistance || near.size() == 1 ? Optional.of(near.getFirst()) : Optional.empty();
  }

  /**
   * Every word of {@code known} as close to {@code typed} as the closest one, in the order given:
   * those at the smallest distance within the limit, else those {@code typed} starts (3 letters at
   * least), e.g. {@code roll} gives {@code rollout} and {@code rollback}; empty when none is close.
   */
  public static List<String> nearest(String typed, Collection<String> known) {
    String t = typed.toLowerCase(Locale.ROOT);
    List<String> best = new ArrayList<>();
    int bestDistance = limit(typed);
    for (String word : known) {
      int d = distance(t, word.toLowerCase(Locale.ROOT));
      if (d > bestDistance) {
        continue;
      }
      if (d < bestDistance) {
        best.clear();
        bestDistance = d;
      }
      best.add(word);
    }
    if (!best.isEmpty() || t.length() < 3) {
      return best;
    }
    return known.stream().filter(word -> word.toLowerCase(Locale.ROOT).startsWith(t)).toList();
  }

  private static int limit(String typed) {
    return typed.length() <= 3 ? 1 : 2;
  }

  /** The Damerau-Levenshtein distance (optimal string alignment) between {@code a} and {@code b}. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
