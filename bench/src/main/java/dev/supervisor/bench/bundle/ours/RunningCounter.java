package dev.supervisor.bench.bundle.ours;

import dev.supervisor.api.State;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.SupervisorListener;

/** Counts the benchmark workers' updates to RUNNING to the harness. */
public final class RunningCounter implements SupervisorListener {
  private final Runnable running;

  public RunningCounter(Runnable running) {
    this.running = running;
  }

  @Override
  public void statusChanged(StatusUpdate update) {
    if (update.newState() == State.RUNNING && update.serviceName().startsWith("bench-")) {
      running.run();
    }
  }
}
