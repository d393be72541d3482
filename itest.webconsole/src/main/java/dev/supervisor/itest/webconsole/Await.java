package dev.supervisor.itest.webconsole;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls a condition until a deadline; never a fixed sleep. A wait that runs out says what it saw last. */
final class Await {
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  private Await() {}

  static <T> T until(String what, Supplier<T> probe, Predicate<? super T> done) {
    return until(what, probe, done, TIMEOUT);
  }

  static <T> T until(String what, Supplier<T> probe, Predicate<? super T> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = probe.get();
      if (done.test(value)) {
        return value;
      }
      if (System.nanoTime() - deadline > 0) {
        String seen = String.valueOf(value);
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what + "; last seen: "
            + (seen.length() > 500 ? seen.substring(0, 500) + "..." : seen));
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }
}
