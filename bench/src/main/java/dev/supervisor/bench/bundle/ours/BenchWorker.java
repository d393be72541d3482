package dev.supervisor.bench.bundle.ours;

import dev.supervisor.api.RunContext;
import dev.supervisor.api.Supervised;

/** Works until asked to stop. */
public final class BenchWorker implements Supervised {
  @Override
  public void run(RunContext ctx) throws InterruptedException {
    ctx.awaitStop();
  }
}
