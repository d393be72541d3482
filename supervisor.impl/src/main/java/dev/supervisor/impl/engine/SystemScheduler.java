package dev.supervisor.impl.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Wall-clock time for display (to the millisecond), {@code System.nanoTime()} for decisions, one daemon timer thread ({@code supervisor-timer}). */
public final class SystemScheduler implements Scheduler {
  private final ScheduledThreadPoolExecutor timer;
  private volatile Instant lastNow = Instant.EPOCH;

  /** Creates the scheduler; its thread starts with the first timer. */
  public SystemScheduler() {
    timer = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "supervisor-timer");
      thread.setDaemon(true);
      return thread;
    });
    // Cancelled restart and timeout timers would otherwise stay queued until they were due.
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public Instant now() {
    // One Instant per millisecond, not one per call: the control thread reads the time for every message,
    // and the wall clock is for display, where milliseconds are enough (decisions use nanoTime).
    Instant last = lastNow;
    long millis = System.currentTimeMillis();
    if (last.toEpochMilli() != millis) {
      last = Instant.ofEpochMilli(millis);
      lastNow = last; // a race only makes one more Instant: they are immutable
    }
    return last;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    var future = timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public void shutdown() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
