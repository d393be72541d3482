package dev.supervisor.itest.workers;

import dev.supervisor.api.RunContext;
import dev.supervisor.api.Supervised;
import dev.supervisor.itest.workers.Recorder.Kind;

/**
 * Behaves like a {@link BlockingWorker} (records RUN, signals ready, blocks until asked to stop, records END;
 * {@code stop()} records STOP) until the test calls {@link #crash()}: then the current run fails once with an
 * unchecked exception, and the runs after it behave again.
 *
 * <p>Threads: {@link #crash()} may be called from any thread; it interrupts the run thread, whose
 * {@code awaitStop} then ends with {@code InterruptedException}, which the run turns into the failure.
 */
public class CrashOnDemandWorker implements Supervised {

  private final long id = Recorder.newInstanceId();
  /** Guards the two fields below, so that an interrupt from {@link #crash()} never outlives the run it was for. */
  private final Object lock = new Object();
  private Thread runner;
  private boolean crashRequested;
  // the name of the last run, for stop(), which gets no context
  private volatile String name = "?";

  /** @return this instance's id, as recorded in its events */
  public long id() {
    return id;
  }

  /**
   * Makes the current run (or, if none is blocked yet, the next one) fail once. Call it while the service
   * is RUNNING.
   */
  public void crash() {
    synchronized (lock) {
      crashRequested = true;
      if (runner != null) {
        runner.interrupt();
      }
    }
  }

  @Override
  public void run(RunContext ctx) throws InterruptedException {
    name = ctx.name();
    Recorder.record(ctx.name(), Kind.RUN, id, ctx.attempt());
    ctx.ready();
    try {
      synchronized (lock) {
        crashIfRequested(ctx);
        runner = Thread.currentThread();
      }
      ctx.awaitStop();
    } catch (InterruptedException e) {
      synchronized (lock) {
        crashIfRequested(ctx);
      }
      throw e;
    } finally {
      synchronized (lock) {
        runner = null;
        // Clears an interrupt crash() sent: the pooled run thread must not carry it into another run.
        Thread.interrupted();
      }
      Recorder.record(ctx.name(), Kind.END, id, ctx.attempt());
    }
  }

  /** Under the lock. */
  private void crashIfRequested(RunContext ctx) {
    if (crashRequested) {
      crashRequested = false;
      throw new IllegalStateException("crash on demand, attempt " + ctx.attempt() + " (expected by the test)");
    }
  }

  @Override
  public void stop() {
    Recorder.record(name, Kind.STOP, id, 0);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "#" + id + "(" + name + ")";
  }
}
