package dev.supervisor.impl.engine;

import dev.supervisor.api.Failure;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The engine's immutable {@link ServiceInfo}. It stores raw times rather than durations ({@code
 * finishedUptime} in nanoseconds), so that {@link #at(Instant, long)} can give the uptimes and window count
 * of any later moment without asking the control thread. Times shown are wall-clock {@code Instant}s; what
 * is measured (uptimes, the window, whether a run outlived it) uses the monotonic readings beside them.
 * {@code note} says how a resting service came to rest, for the boot report ({@link StartUp}).
 */
record Snapshot(long id, String name, State state, Instant stateSince, Instant takenAt, long takenAtNanos,
    ServiceSpec spec,
    String owner, Instant createdAt, long startCount, long failureCount, long successCount, long restartCount,
    int consecutiveFailures, RestartWindow.View restarts, Failure failure, Instant lastStart, Instant lastStop,
    Instant runningSince, long runningSinceNanos, long finishedUptime, long runsThatReachedRunning, Duration lastTimeToReady,
    Duration currentDelay, Instant nextRestart, List<String> dependencies, List<String> dependents,
    List<String> missingDependencies, long bundleRefreshes, String reason, List<String> overdueDependencies,
    String note) implements ServiceInfo {

  /**
   * @param now the time shown
   * @param nowNanos the monotonic reading of the same moment, which measures the uptime and the window
   * @return the same snapshot as seen then (uptimes and window count move on; nothing else does)
   */
  Snapshot at(Instant now, long nowNanos) {
    return new Snapshot(id, name, state, stateSince, now, nowNanos, spec, owner, createdAt, startCount, failureCount,
        successCount, restartCount, consecutiveFailures, restarts, failure, lastStart, lastStop, runningSince,
        runningSinceNanos, finishedUptime, runsThatReachedRunning, lastTimeToReady, currentDelay, nextRestart, dependencies,
        dependents, missingDependencies, bundleRefreshes, reason, overdueDependencies, note);
  }

  @Override
  public int restartsInWindow() {
    return restarts.count(takenAtNanos, spec.restartWindow());
  }

  /**
   * What the next decision will use: once the current run has been RUNNING for the restart window, its next
   * failure starts a new streak, so the streak shows 0 and the backoff delay zero from then on, not when
   * that failure comes.
   */
  @Override
  public int consecutiveFailures() {
    return outlivedTheWindow() ? 0 : consecutiveFailures;
  }

  /** @see #consecutiveFailures() */
  @Override
  public Duration currentDelay() {
    return outlivedTheWindow() ? Duration.ZERO : currentDelay;
  }

  private boolean outlivedTheWindow() {
    return state == State.RUNNING && runningSince != null
        && takenAtNanos - runningSinceNanos >= spec.restartWindow().toNanos();
  }

  @Override public String group() { return spec.group(); }

  @Override public Optional<Failure> lastFailure() { return Optional.ofNullable(failure); }

  @Override public Optional<String> stopReason() { return Optional.ofNullable(reason); }

  @Override public Optional<Instant> lastStartTime() { return Optional.ofNullable(lastStart); }

  @Override public Optional<Instant> lastStopTime() { return Optional.ofNullable(lastStop); }

  @Override
  public Duration currentUptime() {
    if (state != State.RUNNING || runningSince == null || takenAtNanos <= runningSinceNanos) {
      return Duration.ZERO;
    }
    return Duration.ofNanos(takenAtNanos - runningSinceNanos); // monotonic: a wall-clock step cannot make it negative
  }

  @Override
  public Duration totalUptime() {
    return currentUptime().plusNanos(finishedUptime);
  }

  @Override
  public Duration averageUptime() {
    return runsThatReachedRunning == 0 ? Duration.ZERO : totalUptime().dividedBy(runsThatReachedRunning);
  }

  @Override public Optional<Duration> timeToReady() { return Optional.ofNullable(lastTimeToReady); }

  @Override public Optional<Instant> nextRestartAt() { return Optional.ofNullable(nextRestart); }

  @Override
  public String toString() {
    return name + " " + state + " since " + stateSince + (failure == null ? "" : " (last failure: " + failure + ")");
  }
}
