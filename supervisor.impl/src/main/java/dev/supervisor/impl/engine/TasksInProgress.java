package dev.supervisor.impl.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The tasks {@link Carriers} have handed out and that are not over, and a wait until none is left, for
 * {@code shutdown}. A count and an unpark, not a monitor: thousands of threads may end their tasks at once
 * and would queue on it one by one, and on Java 21 to 23 a virtual thread blocked on a monitor pins its
 * carrier.
 */
final class TasksInProgress {
  private final AtomicInteger count = new AtomicInteger();
  /** Set by {@link #awaitNone}: woken by the task that leaves none. */
  private volatile Thread waiter;

  void begun() {
    count.incrementAndGet();
  }

  void over() {
    Thread waiting = waiter;
    if (count.decrementAndGet() == 0 && waiting != null) {
      LockSupport.unpark(waiting);
    }
  }

  int count() {
    return count.get();
  }

  /** @return true if none was left within the timeout; false on timeout or interrupt */
  boolean awaitNone(long timeout, TimeUnit unit) {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    waiter = Thread.currentThread();
    while (count.get() > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || Thread.currentThread().isInterrupted()) {
        return false;
      }
      LockSupport.parkNanos(this, left);
    }
    return true;
  }
}
