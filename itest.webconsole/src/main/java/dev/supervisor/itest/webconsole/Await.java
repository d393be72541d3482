package dev.supervisor.itest.webconsole;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls a condition until a deadline; never a fixed sleep. A wait that runs out says what it saw last. */
final class Await {
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  private Await() {}

  static <T> T until(String what, Supplier<T> probe, Predicate<? super T> done) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      T value = probe.get();
      if (done.test(value)) {
        return value;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + TIMEOUT.toMillis() + " ms waiting for " + what + "; last seen: " + value);
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
