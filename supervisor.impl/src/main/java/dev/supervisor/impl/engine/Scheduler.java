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

  /** @return the current time */
  Instant now();

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
