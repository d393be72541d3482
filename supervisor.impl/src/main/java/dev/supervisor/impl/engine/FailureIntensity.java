package dev.supervisor.impl.engine;

import java.time.Duration;

/**
 * suptree's failure count: it halves every {@code halfLife}, smoothly ({@code count × 2^(-Δt/halfLife)}),
 * and each failure adds one. Owned by the control thread; the arithmetic is one static function so it can
 * be checked against the closed form.
 */
final class FailureIntensity {
  private double count;
  /** When the count was last changed (monotonic nanoseconds); meaningless while {@code counted} is false. */
  private long countedAt;
  private boolean counted;

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

  /** Adds one failure at {@code now} (monotonic nanoseconds). @return the count, this failure included */
  double recordFailure(long now, Duration halfLife) {
    count = current(now, halfLife) + 1.0;
    countedAt = now;
    counted = true;
    return count;
  }

  /** @return {@link #decayed(double, Duration, Duration)} with the elapsed time in nanoseconds (no Duration made) */
  static double decayed(double count, long elapsedNanos, Duration halfLife) {
    if (count == 0.0 || elapsedNanos <= 0) {
      return count;
    }
    return count * Math.pow(2.0, -((double) elapsedNanos / halfLife.toNanos()));
  }

  /** @return the decayed count at {@code now} (monotonic nanoseconds) */
  double current(long now, Duration halfLife) {
    return counted ? decayed(count, now - countedAt, halfLife) : 0.0;
  }

  /** @return the raw count and when it was counted, for a snapshot to decay later */
  double rawCount() {
    return count;
  }

  /** @return when it was counted (monotonic nanoseconds), or {@code Long.MIN_VALUE} if never since a reset */
  long countedAt() {
    return counted ? countedAt : Long.MIN_VALUE;
  }

  void reset() {
    count = 0.0;
    counted = false;
  }
}
