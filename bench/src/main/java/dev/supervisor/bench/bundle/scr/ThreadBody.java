package dev.supervisor.bench.bundle.scr;

import java.util.concurrent.CountDownLatch;

/** The thread a {@link ThreadComponent} starts: says it runs, then waits to be stopped. */
public final class ThreadBody implements Runnable {
  private final Runnable started;
  private final CountDownLatch stop;

  public ThreadBody(Runnable started, CountDownLatch stop) {
    this.started = started;
    this.stop = stop;
  }

  @Override
  public void run() {
    started.run();
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
