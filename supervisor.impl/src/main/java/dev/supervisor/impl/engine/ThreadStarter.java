package dev.supervisor.impl.engine;

import java.util.concurrent.LinkedBlockingQueue;

/**
 * Starts new platform threads for {@link PlatformCarriers} on a thread of its own, {@code supervisor-starter},
 * so that the control thread does not: starting a platform thread costs tens to hundreds of µs (more, the
 * more threads the process has), and when thousands of workers are added at once the control thread would
 * spend most of its time there while the callers of {@code add} wait for its replies. With the starter the
 * two overlap, on two cores. Its own thread is made at the first start and ends with {@link #close(long)}.
 */
final class ThreadStarter {
  /** Queued by {@link #close(long)}: the starter ends once it has started everything queued before. */
  private static final Thread END = new Thread(() -> {});

  private final LinkedBlockingQueue<Thread> queue = new LinkedBlockingQueue<>();
  /** Guarded by this. */
  private Thread starter;
  /** Guarded by this. */
  private boolean closed;

  /** Has {@code thread} started soon, in the order given; after {@link #close(long)}, at once, by the caller. */
  void start(Thread thread) {
    synchronized (this) {
      if (!closed) {
        if (starter == null) {
          starter = new Thread(this::loop, "supervisor-starter");
          starter.setDaemon(true);
          starter.start();
        }
        queue.add(thread);
        return;
      }
    }
    thread.start(); // nothing would take it from the queue any more
  }

  /** Starts what is queued, then ends the starter's thread, within {@code millis} (0: no wait). */
  void close(long millis) throws InterruptedException {
    Thread thread;
    synchronized (this) {
      closed = true;
      queue.add(END);
      thread = starter;
    }
    if (thread != null && millis > 0) {
      thread.join(millis);
    }
  }

  private void loop() {
    while (true) {
      Thread next;
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        next = queue.poll(); // nobody interrupts it; if someone does, go on with what is queued
        if (next == null) {
          continue;
        }
      }
      if (next == END) {
        return;
      }
      next.start();
    }
  }
}
