package dev.supervisor.impl.engine;

import dev.supervisor.api.RunContext;
import dev.supervisor.api.Supervised;
import java.util.concurrent.atomic.AtomicInteger;

/** Small workers for the tests of the engine on real threads ({@link EngineThreadingTest}). */
final class Workers {
  private Workers() {}

  /** Runs until asked to stop. */
  static Supervised untilStopped() {
    return RunContext::awaitStop;
  }

  /** Throws a checked exception on every run, counting runs. */
  static Supervised failing(AtomicInteger runs) {
    return ctx -> {
      runs.incrementAndGet();
      throw new java.io.IOException("boom " + ctx.attempt());
    };
  }

  /**
   * Ignores stop requests and interrupts until released; records whether it was interrupted. A test waits
   * for {@link #inside} before it asks for the stop: asked earlier, the run thread would not call run at all.
   */
  static final class Stubborn implements Supervised {
    final java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch interrupted = new java.util.concurrent.CountDownLatch(1);

    @Override
    public void run(RunContext ctx) {
      inside.countDown();
      while (true) {
        try {
          release.await();
          return;
        } catch (InterruptedException e) {
          interrupted.countDown();
        }
      }
    }
  }
}
