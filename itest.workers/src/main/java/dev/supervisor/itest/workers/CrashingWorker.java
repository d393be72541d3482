package dev.supervisor.itest.workers;

import dev.supervisor.api.RunContext;
import dev.supervisor.api.Supervised;
import dev.supervisor.itest.workers.Recorder.Kind;

/** Fails every run at once with an unchecked exception, after recording RUN and END. */
public class CrashingWorker implements Supervised {

  private final long id = Recorder.newInstanceId();

  @Override
  public void run(RunContext ctx) {
    Recorder.record(ctx.name(), Kind.RUN, id, ctx.attempt());
    Recorder.record(ctx.name(), Kind.END, id, ctx.attempt());
    throw new IllegalStateException("crash on attempt " + ctx.attempt() + " (expected by the test)");
  }
}
