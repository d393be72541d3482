package dev.supervisor.impl.engine;

import java.time.Duration;
import java.time.Instant;

/**
 * suptree's failure count: it halves every {@code halfLife}, smoothly ({@code count × 2^(-Δt/halfLife)}),
 * and each failure adds one. Owned by the control thread; the arithmetic is one static function so it can
 * be checked against the closed form.
 */
final class FailureIntensity {
  private double count;
  private Instant countedAt;

  /**
   * @param count the count at some moment
   * @param elapsed the time since that moment (negative counts as zero)
   * @param halfLife the time in which the count halves
   * @return the count now
   */
  static double decayed(double count, Duration elapsed, Duration halfLife) {
    if (count == 0.0 || elapsed.isNegative() || elapsed.isZero()) {
      return count;
    }
    double halfLives = (double) elapsed.toNanos() / halfLife.toNanos();
    return count * Math.pow(2.0, -halfLives);
  }

  /** Adds one failure at {@code now}. @return the count, this failure included */
  double recordFailure(Instant now, Duration halfLife) {
    // In nanoseconds, not through current(): a Duration per failure is garbage a crash storm can do without.
    double halfLives = countedAt == null ? 0.0
        : (double) Math.max(0, RestartWindow.nanos(now) - RestartWindow.nanos(countedAt)) / halfLife.toNanos();
    count = (halfLives == 0.0 ? count : count * Math.pow(2.0, -halfLives)) + 1.0;
    countedAt = now;
    return count;
  }

  /** @return the decayed count at {@code now} */
  double current(Instant now, Duration halfLife) {
    return countedAt == null ? 0.0 : decayed(count, Duration.between(countedAt, now), halfLife);
  }

  /** @return the raw count and when it was counted, for a snapshot to decay later */
  double rawCount() {
    return count;
  }

  Instant countedAt() {
    return countedAt;
  }

  void reset() {
    count = 0.0;
    countedAt = null;
  }
}
