package dev.supervisor.itest.workers;

import dev.supervisor.api.RunContext;
import dev.supervisor.api.Supervised;

/**
 * A worker that blocks until asked to stop and records nothing: for tests that register thousands of
 * services (the leak test), where {@link BlockingWorker}'s events in the shared {@link Recorder} would grow
 * the heap and hide a real leak.
 */
public final class QuietWorker implements Supervised {

  @Override
  public void run(RunContext ctx) throws InterruptedException {
    ctx.ready();
    ctx.awaitStop();
  }

  @Override
  public String toString() {
    return "QuietWorker";
  }
}
