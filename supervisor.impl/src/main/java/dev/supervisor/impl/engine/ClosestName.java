package dev.supervisor.impl.engine;

import java.util.Optional;

/**
 * The registered name nearest to one that is missing: a misspelt dependency is the usual reason a name is
 * never registered. Near means a few single-character edits (insert, delete, replace, or swap two
 * neighbours), at most a third of the name's length.
 */
final class ClosestName {
  private ClosestName() {}

  /** @return the candidate nearest to {@code missing} within reach, the first in order on a tie; empty if none */
  static Optional<String> among(String missing, Iterable<String> candidates) {
    int reach = Math.max(1, Math.min(3, missing.length() / 3));
    String best = null;
    int bestDistance = reach + 1;
    for (String candidate : candidates) {
      if (candidate.equals(missing) || Math.abs(candidate.length() - missing.length()) > reach) {
        continue;
      }
      int distance = distance(missing, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a substring). */
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
