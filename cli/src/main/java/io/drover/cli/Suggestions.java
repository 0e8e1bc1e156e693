package io.drover.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * "Did you mean": the known names nearest a mistyped one. Near means an edit distance (insert,
 * delete, replace, swap of two neighbours) of 1, or 2 for names of 6 characters and more; a typed
 * prefix of 3 characters or more also matches ({@code roll} for {@code rollout} and {@code rollback}).
 */
final class Suggestions {
  private Suggestions() {}

  /** The names nearest {@code typed}, in the order given; empty when none is near. */
  static List<String> nearest(String typed, Collection<String> names) {
    int limit = typed.length() >= 6 ? 2 : 1;
    List<String> best = new ArrayList<>();
    int bestDistance = Integer.MAX_VALUE;
    for (String name : names) {
      int d = name.startsWith(typed) && typed.length() >= 3 ? 0 : distance(typed, name);
      if (d > limit || d > bestDistance) {
        continue;
      }
      if (d < bestDistance) {
        best.clear();
        bestDistance = d;
      }
      best.add(name);
    }
    return best;
  }

  /** The optimal string alignment distance between {@code a} and {@code b}. */
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
