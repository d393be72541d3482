package dev.supervisor.impl.engine;

import java.util.concurrent.LinkedBlockingQueue;

/**
 * Starts new platform threads for {@link PlatformCarriers}, and at close ends the idle ones, on a thread of its
 * own, {@code supervisor-starter}, so that neither the control thread nor the caller of {@code close()} pays
 * for them. Starting a platform thread costs tens to hundreds of µs (more, the more threads the process has),
 * and ending one about as much: when thousands of workers are added at once, the control thread would spend
 * most of its time there while the callers of {@code add} wait for its replies; and ending 10,000 idle threads
 * took {@code close()} 5 s on 2 cores. Its own thread is made at the first start, and ends once the chore
 * given to {@link #closeAfter} is done.
 */
final class ThreadStarter {
  /** Queued last by {@link #closeAfter}: the starter's thread ends there. */
  private static final Runnable END = () -> {};

  private final LinkedBlockingQueue<Runnable> chores = new LinkedBlockingQueue<>();
  /** Guarded by this. */
  private Thread starter;
  /** Guarded by this. */
  private boolean closed;

  /** Has {@code thread} started soon, in the order given; after {@link #closeAfter}, at once, by the caller. */
  void start(Thread thread) {
    synchronized (this) {
      if (!closed) {
        if (starter == null) {
          starter = new Thread(this::loop, "supervisor-starter");
          starter.setDaemon(true);
          starter.start();
        }
        chores.add(thread::start);
        return;
      }
    }
    thread.start(); // nothing would take it from the queue any more
  }

  /**
   * Starts what is queued, then does {@code last}, then its thread ends; returns at once. Without a thread
   * (nothing was ever started), {@code last} is done here.
   */
  void closeAfter(Runnable last) {
    synchronized (this) {
      closed = true;
      if (starter != null) {
        chores.add(last);
        chores.add(END);
        return;
      }
    }
    last.run();
  }

  private void loop() {
    while (true) {
      Runnable next;
      try {
        next = chores.take();
      } catch (InterruptedException e) {
        next = chores.poll(); // nobody interrupts it; if someone does, go on with what is queued
        if (next == null) {
          continue;
        }
      }
      if (next == END) {
        return;
      }
      next.run();
    }
  }
}
