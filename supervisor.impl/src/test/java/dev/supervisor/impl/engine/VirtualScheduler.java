package dev.supervisor.impl.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/** Virtual time for tests: nothing happens until {@link #advance} moves the clock past a timer. */
final class VirtualScheduler implements Scheduler {
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  /** The monotonic reading: moves with {@link #advance} only, never with {@link #stepWallClock}. */
  private long nanos = 5_000_000_000L;
  private long sequence;

  @Override
  public synchronized Instant now() {
    return now;
  }

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  /** Steps the wall clock only (NTP, a resumed VM): timers and the monotonic reading stay where they are. */
  synchronized void stepWallClock(Duration by) {
    now = now.plus(by);
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Timer timer = new Timer(nanos + delay.toNanos(), sequence++, task);
    timers.add(timer);
    return () -> {
      synchronized (VirtualScheduler.this) {
        timers.remove(timer);
      }
    };
  }

  /**
   * Moves both clocks forward, running every timer that falls due on the way, in order. Timers are due on
   * the monotonic reading, as {@code ScheduledThreadPoolExecutor}'s are on {@code System.nanoTime()}.
   */
  void advance(Duration by) {
    advance(by, () -> { });
  }

  /**
   * {@link #advance(Duration)}, calling {@code afterEachTimer} right after each timer has run, while the clock
   * still reads its due time: a stepped test handles what the timer posted at the moment it was due.
   */
  void advance(Duration by, Runnable afterEachTimer) {
    long target;
    synchronized (this) {
      target = nanos + by.toNanos();
    }
    while (true) {
      Timer due;
      synchronized (this) {
        due = timers.peek();
        if (due == null || due.at > target) {
          now = now.plusNanos(target - nanos);
          nanos = target;
          return;
        }
        timers.poll();
        now = now.plusNanos(due.at - nanos);
        nanos = due.at;
      }
      due.task.run(); // outside the lock: the task posts to the engine
      afterEachTimer.run();
    }
  }

  /** @return how many timers are pending (a leaked timer shows up here) */
  synchronized int pendingTimers() {
    return timers.size();
  }

  @Override
  public void shutdown() {}

  private record Timer(long at, long sequence, Runnable task) implements Comparable<Timer> {
    @Override
    public int compareTo(Timer other) {
      int byTime = Long.compare(at, other.at);
      return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
  }
}
