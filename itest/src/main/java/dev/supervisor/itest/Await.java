package dev.supervisor.itest;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a condition by polling it until a deadline; never a fixed sleep. A wait that runs out fails
 * with what it waited for and the last value it saw.
 */
final class Await {

  /** Generous, so a slow machine passes; a passing run waits milliseconds, not this. */
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  private static final long POLL_MILLIS = 2;

  private Await() {}

  /**
   * Polls {@code probe} until {@code done} accepts its value, for at most {@link #TIMEOUT}.
   *
   * @param what what is awaited, for the failure message
   * @param probe reads the current value; may return null
   * @param done the condition
   * @return the first accepted value
   */
  static <T> T until(String what, Supplier<T> probe, Predicate<? super T> done) {
    return until(what, probe, done, String::valueOf);
  }

  /**
   * Polls {@code probe} until {@code done} accepts its value, for at most {@link #TIMEOUT}.
   *
   * @param what what is awaited, for the failure message
   * @param probe reads the current value; may return null
   * @param done the condition
   * @param describe turns the last value seen into text for the failure message
   * @return the first accepted value
   */
  static <T> T until(String what, Supplier<T> probe, Predicate<? super T> done,
      Function<? super T, String> describe) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      T value = probe.get();
      if (done.test(value)) {
        return value;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + TIMEOUT.toMillis() + " ms waiting for " + what
            + "; last seen: " + describe.apply(value));
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what + "; last seen: " + describe.apply(value),
            e);
      }
    }
  }
}
