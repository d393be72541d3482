package dev.supervisor.karaf.plain;

import dev.supervisor.api.RunContext;
import dev.supervisor.api.Supervised;

/** Runs until asked to stop. */
final class PlainWorker implements Supervised {
  @Override
  public void run(RunContext ctx) throws InterruptedException {
    ctx.awaitStop();
  }
}
