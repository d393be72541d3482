package dev.supervisor.impl.engine;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The bookkeeping of {@code supervisor.escalate=REFRESH_BUNDLE}, by service name rather than registration,
 * because the escalation replaces the registration: the refreshed bundle registers the service anew, and
 * that new registration must neither escalate again nor lose the count. One invariant: a name escalates
 * once until it is reset, and its count is the refreshes that were set off and not refused. Owned by the
 * control thread.
 */
final class BundleRefreshes {
  /** Names whose escalation has been used; only a reset of the name clears it. */
  private final Set<String> used = new HashSet<>();
  /** Refreshes set off per name: counted when the escalation starts, taken back if the escalator refuses. */
  private final Map<String, Long> counts = new HashMap<>();

  /**
   * @return true, and the refresh counted, if the name may escalate now (the first time since its last
   *     reset); false if its escalation was used already
   */
  boolean claim(String name) {
    if (!used.add(name)) {
      return false;
    }
    counts.merge(name, 1L, Long::sum);
    return true;
  }

  /** The escalator refused: the refresh did not happen and is not counted (the escalation stays used). */
  void refused(String name) {
    counts.merge(name, -1L, Long::sum);
  }

  /** @return the refreshes set off for this name, whichever registration holds it now */
  long count(String name) {
    return counts.getOrDefault(name, 0L);
  }

  /** A reset of the name: it may escalate once more (the count stays: it is history). */
  void rearm(String name) {
    used.remove(name);
  }
}
