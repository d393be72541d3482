package dev.supervisor.impl.engine;

import dev.supervisor.api.ServiceSpec;
import java.time.Duration;

/**
 * The restart delay, as one pure function:
 * {@code min(maxDelay, restartDelay * multiplier^(consecutiveFailures - 1)) * (1 + jitter offset)},
 * never negative and never above {@code maxDelay}.
 */
final class Backoff {
  private Backoff() {}

  /**
   * @param spec the service's spec
   * @param consecutiveFailures 1 for the first failure in a row; 0 (a restart after success) gives the base delay
   * @param jitterOffset from {@link Jitter#offset}, in [-jitter, +jitter]
   * @return the delay before the next start
   */
  static Duration delay(ServiceSpec spec, int consecutiveFailures, double jitterOffset) {
    double base = spec.restartDelay().toNanos();
    double max = spec.maxRestartDelay().toNanos();
    int exponent = Math.max(0, consecutiveFailures - 1);
    // pow overflows to infinity for long failure streaks; min() then caps it, so no loop is needed.
    double grown = Math.min(max, base * Math.pow(spec.backoffMultiplier(), exponent));
    double jittered = Math.min(max, Math.max(0.0, grown * (1.0 + jitterOffset)));
    return Duration.ofNanos((long) jittered);
  }
}
