package dev.supervisor.impl.engine;

import dev.supervisor.api.RunContext;
import dev.supervisor.api.Supervised;
import java.util.concurrent.atomic.AtomicInteger;

/** Small workers for engine tests. */
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

  /** Returns at once on every run, counting runs. */
  static Supervised returning(AtomicInteger runs) {
    return ctx -> runs.incrementAndGet();
  }

  /** Runs until stopped; calls ready() only when told to through the latch. */
  static final class Explicit implements Supervised {
    final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    volatile RunContext context;

    @Override
    public void run(RunContext ctx) throws Exception {
      context = ctx;
      entered.countDown();
      ctx.awaitStop();
    }
  }

  /** Ignores stop requests and interrupts until released; records whether it was interrupted. */
  static final class Stubborn implements Supervised {
    final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch interrupted = new java.util.concurrent.CountDownLatch(1);

    @Override
    public void run(RunContext ctx) {
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
