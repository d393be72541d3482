package dev.supervisor.impl.engine;

import dev.supervisor.api.Failure;
import dev.supervisor.api.GroupInfo;
import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.State;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The engine's immutable {@link GroupInfo}; raw counts and times, so it can be seen at a later moment. What
 * it decides (paused or not, the decayed count, the window) it measures on the monotonic readings.
 */
record GroupSnapshot(String path, GroupSpec spec, Instant takenAt, long takenAtNanos, boolean failed,
    double rawCount, long countedAtNanos, Instant pausedUntil, long pausedUntilNanos, RestartWindow.View restarts,
    long escalations, Failure failure, List<String> members, List<String> children) implements GroupInfo {

  /**
   * @param now the time shown
   * @param nowNanos the monotonic reading of the same moment, which decides the pause, the count and the window
   * @param currentMembers read from the service snapshots
   * @return this snapshot seen at that moment
   */
  GroupSnapshot at(Instant now, long nowNanos, List<String> currentMembers) {
    return new GroupSnapshot(path, spec, now, nowNanos, failed, rawCount, countedAtNanos, pausedUntil,
        pausedUntilNanos, restarts, escalations, failure, List.copyOf(currentMembers), children);
  }

  private boolean paused() {
    return pausedUntil != null && pausedUntilNanos > takenAtNanos;
  }

  @Override
  public State state() {
    if (failed) {
      return State.FAILED;
    }
    return paused() ? State.BACKOFF : State.RUNNING;
  }

  @Override
  public double failureCount() {
    return countedAtNanos == Long.MIN_VALUE ? 0.0
        : FailureIntensity.decayed(rawCount, takenAtNanos - countedAtNanos, spec.failureDecay());
  }

  @Override
  public Optional<Instant> backoffUntil() {
    return paused() ? Optional.of(pausedUntil) : Optional.empty();
  }

  @Override
  public int restartsInWindow() {
    return restarts.count(takenAtNanos, spec.restartWindow());
  }

  @Override
  public Optional<Failure> lastFailure() {
    return Optional.ofNullable(failure);
  }
}
