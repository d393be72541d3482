package dev.supervisor.impl.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/** Virtual time for tests: nothing happens until {@link #advance} moves the clock past a timer. */
final class VirtualScheduler implements Scheduler {
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private long sequence;

  @Override
  public synchronized Instant now() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Timer timer = new Timer(now.plus(delay), sequence++, task);
    timers.add(timer);
    return () -> {
      synchronized (VirtualScheduler.this) {
        timers.remove(timer);
      }
    };
  }

  /** Moves the clock forward, running every timer that falls due on the way, in order. */
  void advance(Duration by) {
    Instant target;
    synchronized (this) {
      target = now.plus(by);
    }
    while (true) {
      Timer due;
      synchronized (this) {
        due = timers.peek();
        if (due == null || due.at.isAfter(target)) {
          now = target;
          return;
        }
        timers.poll();
        now = due.at;
      }
      due.task.run(); // outside the lock: the task posts to the engine
    }
  }

  /** @return how many timers are pending (a leaked timer shows up here) */
  synchronized int pendingTimers() {
    return timers.size();
  }

  @Override
  public void shutdown() {}

  private record Timer(Instant at, long sequence, Runnable task) implements Comparable<Timer> {
    @Override
    public int compareTo(Timer other) {
      int byTime = at.compareTo(other.at);
      return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
  }
}
