package dev.supervisor.itest.chaos.worker;

import dev.supervisor.api.DoNotRestartException;
import dev.supervisor.api.RunContext;
import dev.supervisor.api.Supervised;
import dev.supervisor.itest.chaos.ChaosProbe;
import dev.supervisor.itest.chaos.RunPlan;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A worker of a generated chaos bundle (copied into each one at test time, so it runs from that bundle's
 * class loader). Each run asks {@link ChaosProbe#plan} what to do: be ready late or never, end by itself
 * (return, throw an Exception or an Error, DoNotRestartException), ignore a stop request for a while, have
 * {@code stop()} throw. Every run reports to the probe on entry and exit, so the probe counts the live runs
 * of each name; a prototype instance checks itself that it is run at most once and stopped at most once.
 */
public final class ChaosWorker implements Supervised {

  private final String name;
  private final String registration;
  private final boolean prototype;
  private final boolean explicit;
  private final AtomicInteger runs = new AtomicInteger();
  private final AtomicInteger stops = new AtomicInteger();
  private volatile RunPlan current = RunPlan.CALM;

  ChaosWorker(String name, String registration, boolean prototype, boolean explicit) {
    this.name = name;
    this.registration = registration;
    this.prototype = prototype;
    this.explicit = explicit;
  }

  @Override
  public void run(RunContext ctx) throws Exception {
    String what = registration + " attempt " + ctx.attempt();
    ChaosProbe.runEntered(name, what);
    try {
      if (prototype && runs.incrementAndGet() > 1) {
        ChaosProbe.violation("PROTOTYPE_ONCE", "'" + name + "': a prototype instance was run " + runs.get()
            + " times (attempt " + ctx.attempt() + ")");
      }
      RunPlan plan = ChaosProbe.plan(name, ctx.attempt());
      current = plan;
      work(ctx, plan);
    } finally {
      ChaosProbe.runExited(name, what);
    }
  }

  private void work(RunContext ctx, RunPlan plan) throws Exception {
    boolean stopped;
    try {
      if (explicit && plan.readyAfterMillis() < 0) {
        ChaosProbe.count("fault: never ready");
        ctx.awaitStop();
        stopped = true;
      } else {
        stopped = explicit && plan.readyAfterMillis() > 0
            && ctx.awaitStop(Duration.ofMillis(plan.readyAfterMillis()));
        if (!stopped) {
          ctx.ready();
          stopped = plan.endAfterMillis() < 0 ? await(ctx) : ctx.awaitStop(Duration.ofMillis(plan.endAfterMillis()));
          if (!stopped && ChaosProbe.isCalm()) {
            stopped = await(ctx); // the faults are off: this run no longer ends by itself
          }
        }
      }
    } catch (InterruptedException interrupted) {
      // the stop timeout ran out: the supervisor interrupts, then abandons the run
      stopped = true;
    }
    if (!stopped) {
      endByItself(plan);
      return;
    }
    if (plan.ignoreStopMillis() > 0 && !ChaosProbe.isCalm()) {
      ChaosProbe.count("fault: run ignored its stop request");
      sleepUninterruptibly(plan.ignoreStopMillis());
    }
  }

  private static boolean await(RunContext ctx) throws InterruptedException {
    ctx.awaitStop();
    return true;
  }

  private void endByItself(RunPlan plan) throws Exception {
    switch (plan.ending()) {
      case RETURN -> ChaosProbe.count("fault: run returned early");
      case EXCEPTION -> {
        ChaosProbe.count("fault: run threw an Exception");
        throw new Exception("chaos: '" + name + "' throws");
      }
      case ERROR -> {
        ChaosProbe.count("fault: run threw an Error");
        throw new ChaosError("chaos: '" + name + "' throws an Error");
      }
      case DO_NOT_RESTART -> {
        ChaosProbe.count("fault: run threw DoNotRestartException");
        throw new DoNotRestartException("chaos: '" + name + "' is done for good");
      }
      default -> throw new AssertionError(plan.ending());
    }
  }

  /** Ignores interrupts (as a worker stuck in uninterruptible I/O would), but always ends. */
  private static void sleepUninterruptibly(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    boolean interrupted = false;
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        TimeUnit.NANOSECONDS.sleep(left);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void stop() {
    if (prototype && stops.incrementAndGet() > 1) {
      ChaosProbe.violation("PROTOTYPE_ONCE", "'" + name + "': stop() of a prototype instance called " + stops.get()
          + " times");
    }
    if (current.stopThrows() && !ChaosProbe.isCalm()) {
      ChaosProbe.count("fault: stop() threw");
      throw new IllegalStateException("chaos: stop() of '" + name + "' throws");
    }
  }

  @Override
  public String toString() {
    return "chaos worker '" + name + "', " + registration + (prototype ? " (prototype instance)" : "");
  }

  /** The Error a run throws. */
  static final class ChaosError extends Error {
    private static final long serialVersionUID = 1L;

    ChaosError(String message) {
      super(message);
    }
  }
}
