package dev.supervisor.impl.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * Platform threads kept for reuse, with a hand-off made for restarts. A {@link java.util.concurrent.ThreadPoolExecutor}
 * on a {@code SynchronousQueue} costs a restart two wake-ups (the run thread wakes the control thread, which
 * wakes a pooled thread) and ends idle threads one by one as they time out. Here:
 * <ul>
 *   <li>a task goes straight to the thread that became idle last: the run thread whose run just ended has
 *       made itself idle before it posted RunEnded, so it is the one that carries the next run the control
 *       thread decides on;</li>
 *   <li>that thread polls for its next task for a short while before it parks (only one thread at a time,
 *       and only while the control thread is not behind: in a crash storm the answer is far away, and a
 *       spinning thread would take the core the control thread needs), so a restart with delay 0 costs one
 *       wake-up, the control thread's;</li>
 *   <li>new threads are started by a {@link ThreadStarter}, not by the control thread;</li>
 *   <li>{@link #shutdown} has every idle thread told to end, by the {@link ThreadStarter}, and waits only for
 *       the tasks still running.</li>
 * </ul>
 * Idle threads are called {@code supervisor-worker-idle-N} and end after {@value #KEEP_ALIVE_SECONDS} s
 * without work.
 */
final class PlatformCarriers implements Carriers {
  static final int KEEP_ALIVE_SECONDS = 30;
  private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(KEEP_ALIVE_SECONDS);
  private static final int NEAR_BACKLOG = 8;
  /** Handed to an idle thread to end it. */
  private static final Task END = () -> null;

  private final Mailbox mailbox;
  private final EngineLog log;
  /**
   * Messages waiting for the control thread: above {@value #NEAR_BACKLOG}, its answer is not near (a message
   * takes it a few µs), so nothing spins.
   */
  private final IntSupplier backlog;
  private final long spinNanos;
  /** At most one idle thread spins at a time. */
  private final AtomicBoolean spinning = new AtomicBoolean();
  private final ThreadStarter starter = new ThreadStarter();

  private final Object lock = new Object();
  /** Guarded by lock. Head: the thread that became idle last (it is the likeliest to be spinning). */
  private final ArrayDeque<Carrier> idle = new ArrayDeque<>();
  /**
   * {@link #shutdown} waits for these, not for idle threads to end: 30,000 idle threads woken at once to end
   * took seconds to get a core each, and they run none of a worker's code.
   */
  private final TasksInProgress busy = new TasksInProgress();
  /** Guarded by lock. */
  private int created;
  /** Guarded by lock. */
  private boolean closed;

  /**
   * @param backlog how many messages wait for the control thread
   * @param spinNanos how long a thread whose task is over polls for the next one before it parks; 0: never
   */
  PlatformCarriers(Mailbox mailbox, EngineLog log, IntSupplier backlog, long spinNanos) {
    this.mailbox = mailbox;
    this.log = log;
    this.backlog = backlog;
    this.spinNanos = spinNanos;
  }

  @Override
  public void execute(Task task) {
    busy.begun();
    Carrier idleOne;
    Carrier newOne = null;
    synchronized (lock) {
      idleOne = idle.pollFirst();
      if (idleOne == null) {
        newOne = new Carrier(task, "supervisor-worker-idle-" + ++created);
      }
    }
    if (newOne != null) {
      starter.start(newOne.thread);
    } else {
      idleOne.hand(task);
    }
  }

  @Override
  public boolean shutdown(long timeout, TimeUnit unit) {
    List<Carrier> ending;
    synchronized (lock) {
      closed = true;
      ending = new ArrayList<>(idle);
      idle.clear();
    }
    // Threads still queued to start do, run their task and end; the idle ones are ended off this thread.
    starter.closeAfter(() -> ending.forEach(carrier -> carrier.hand(END)));
    return busy.awaitNone(timeout, unit);
  }

  /** One platform thread and the task handed to it. */
  private final class Carrier implements Runnable {
    final Thread thread;
    /**
     * The task it was created for, until its thread takes it (then null: a pooled thread must not keep an
     * old run, its worker and their class loader reachable); later tasks come through {@link #next}.
     */
    private Task first;
    private volatile Task next;

    Carrier(Task first, String name) {
      this.first = first;
      this.thread = new Thread(this, name);
      thread.setDaemon(true);
    }

    /** Called only by whoever took this carrier off the idle stack (or by shutdown, which emptied it). */
    void hand(Task task) {
      next = task;
      LockSupport.unpark(thread);
    }

    @Override
    public void run() {
      Task task = first;
      first = null;
      while (task != END) {
        Message report = call(task);
        boolean reusable = becomeIdle();
        if (report != null) {
          mailbox.post(report); // after becoming idle: the answer to it may be this thread's next task
        }
        busy.over();
        if (!reusable) {
          return;
        }
        task = awaitNext();
      }
    }

    private Message call(Task task) {
      try {
        return task.call();
      } catch (RuntimeException | Error e) { // the tasks catch what foreign code throws: this is a bug of ours
        log.error("supervisor: internal error on " + thread.getName(), e);
        return null;
      }
    }

    private boolean becomeIdle() {
      synchronized (lock) {
        if (closed) {
          return false;
        }
        idle.addFirst(this);
        return true;
      }
    }

    /** @return the next task, or {@link #END} when the keep-alive ran out (and this left the idle stack) */
    private Task awaitNext() {
      Task task = spinForNext();
      long deadline = System.nanoTime() + KEEP_ALIVE_NANOS;
      while (task == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0 && leaveIdle()) {
          return END;
        }
        // Past the deadline but taken off the stack by execute: its task is on the way.
        LockSupport.parkNanos(this, left > 0 ? left : KEEP_ALIVE_NANOS);
        Thread.interrupted(); // an idle thread has nothing to interrupt; a stray flag must not end its parks
        task = next;
      }
      next = null;
      return task;
    }

    private Task spinForNext() {
      if (spinNanos <= 0 || backlog.getAsInt() > NEAR_BACKLOG || !spinning.compareAndSet(false, true)) {
        return next;
      }
      try {
        long until = System.nanoTime() + spinNanos;
        Task task;
        while ((task = next) == null && System.nanoTime() < until) {
          Thread.onSpinWait();
        }
        return task;
      } finally {
        spinning.set(false);
      }
    }

    /** @return true if this was still idle and has left the stack; false if execute took it meanwhile */
    private boolean leaveIdle() {
      synchronized (lock) {
        return idle.removeLastOccurrence(this); // the longest idle are at the tail: found at once
      }
    }
  }
}
