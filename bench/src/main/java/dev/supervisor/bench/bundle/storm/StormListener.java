package dev.supervisor.bench.bundle.storm;

import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.SupervisorListener;
import java.util.concurrent.atomic.AtomicLong;

/** A listener as production has one: it looks at every update and its failure. */
public final class StormListener implements SupervisorListener {
  private final AtomicLong updates = new AtomicLong();

  @Override
  public void statusChanged(StatusUpdate update) {
    if (update.failure().map(failure -> failure.message().length()).orElse(0) >= 0) {
      updates.incrementAndGet();
    }
  }
}
