package dev.supervisor.impl.engine;

import dev.supervisor.api.Failure;
import dev.supervisor.api.GroupInfo;
import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.State;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The engine's immutable {@link GroupInfo}; raw counts and times, so it can be seen at a later moment. */
record GroupSnapshot(String path, GroupSpec spec, Instant takenAt, boolean failed, double rawCount,
    Instant countedAt, Instant pausedUntil, RestartWindow.View restarts, long escalations, Failure failure,
    List<String> members, List<String> children) implements GroupInfo {

  /** @return this snapshot seen at {@code now}, with the given members (read from the service snapshots) */
  GroupSnapshot at(Instant now, List<String> currentMembers) {
    return new GroupSnapshot(path, spec, now, failed, rawCount, countedAt, pausedUntil, restarts, escalations,
        failure, List.copyOf(currentMembers), children);
  }

  @Override
  public State state() {
    if (failed) {
      return State.FAILED;
    }
    return pausedUntil != null && pausedUntil.isAfter(takenAt) ? State.BACKOFF : State.RUNNING;
  }

  @Override
  public double failureCount() {
    return countedAt == null ? 0.0 : FailureIntensity.decayed(rawCount, Duration.between(countedAt, takenAt),
        spec.failureDecay());
  }

  @Override
  public Optional<Instant> backoffUntil() {
    return pausedUntil != null && pausedUntil.isAfter(takenAt) ? Optional.of(pausedUntil) : Optional.empty();
  }

  @Override
  public int restartsInWindow() {
    return restarts.count(takenAt, spec.restartWindow());
  }

  @Override
  public Optional<Failure> lastFailure() {
    return Optional.ofNullable(failure);
  }
}
