package dev.supervisor.impl.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/** The restarts of one service inside a sliding window; owned by the control thread. */
final class RestartWindow {
  private final ArrayDeque<Instant> restarts = new ArrayDeque<>();

  void record(Instant when) {
    restarts.addLast(when);
  }

  /** @return restarts newer than {@code now - window}, dropping older ones */
  int count(Instant now, Duration window) {
    Instant oldest = now.minus(window);
    while (!restarts.isEmpty() && !restarts.peekFirst().isAfter(oldest)) {
      restarts.removeFirst();
    }
    return restarts.size();
  }

  void clear() {
    restarts.clear();
  }

  /** @return the recorded times, oldest first, for a snapshot to count later */
  List<Instant> times() {
    return List.copyOf(restarts);
  }
}
