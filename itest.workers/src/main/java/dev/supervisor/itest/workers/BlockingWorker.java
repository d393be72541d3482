package dev.supervisor.itest.workers;

import dev.supervisor.api.RunContext;
import dev.supervisor.api.Supervised;
import dev.supervisor.itest.workers.Recorder.Kind;

/**
 * A well-behaved worker: records RUN, signals ready, blocks until the supervisor asks it to stop, records END. Its
 * {@code stop()} records STOP. Each instance has its own id, so prototype-scoped registrations show which
 * instance ran.
 */
public class BlockingWorker implements Supervised {

  private final long id = Recorder.newInstanceId();
  // the name of the last run, for stop(), which gets no context
  private volatile String name = "?";

  /** @return this instance's id, as recorded in its events */
  public long id() {
    return id;
  }

  @Override
  public void run(RunContext ctx) throws InterruptedException {
    name = ctx.name();
    Recorder.record(ctx.name(), Kind.RUN, id, ctx.attempt());
    // Ready only after RUN is recorded. With readiness EXPLICIT this orders the recorder exactly as the
    // supervisor starts services; with AUTO the supervisor counts the worker ready as it calls run, so a
    // dependent's RUN may be recorded a moment before this one (and ready() does nothing).
    ctx.ready();
    try {
      ctx.awaitStop();
    } finally {
      Recorder.record(ctx.name(), Kind.END, id, ctx.attempt());
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
