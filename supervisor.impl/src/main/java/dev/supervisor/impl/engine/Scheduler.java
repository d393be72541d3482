package dev.supervisor.impl.engine;

import java.time.Duration;
import java.time.Instant;

/**
 * The engine's only source of time: the clock it reads and the timers it sets. Production uses
 * {@link SystemScheduler}; unit tests inject a virtual one and advance it by hand, so no test sleeps.
 *
 * <p>Timer tasks must be short and must not block: the engine's tasks only post a message to its
 * control thread.
 */
public interface Scheduler {

  /** @return the current time, for what is displayed (it may step: NTP, a resumed VM) */
  Instant now();

  /**
   * @return a monotonic reading in nanoseconds, for every decision that measures time (restart windows, the
   *     decay of failure counts, pauses, uptimes): it never steps back and never jumps with the wall clock.
   *     The default derives it from {@link #now()}, which is only right for a clock that never steps.
   */
  default long nanoTime() {
    Instant now = now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /**
   * Runs {@code task} once after {@code delay}.
   *
   * @param delay zero or more
   * @param task what to run, on a thread of the scheduler's choosing
   * @return a handle that cancels the task if it has not run yet
   */
  Cancellable schedule(Duration delay, Runnable task);

  /** Ends the scheduler's threads; pending tasks are dropped. */
  void shutdown();

  /** A scheduled task that can still be called off. */
  @FunctionalInterface
  interface Cancellable {
    /** Calls the task off if it has not run yet; does nothing otherwise. */
    void cancel();
  }
}
