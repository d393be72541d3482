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
 * The engine's immutable {@link ServiceInfo}. It stores raw times rather than durations (the uptimes in
 * nanoseconds, in {@link MetricsSnapshot}), so that {@link #at(Instant, long)} can give the uptimes and window
 * count of any later moment without asking the control thread. Times shown are wall-clock {@code Instant}s;
 * what is measured (uptimes, the window, whether a run outlived it) uses the monotonic readings beside them.
 * The counts, times and failure of its runs are in {@code metrics}, shared by every snapshot of a service
 * that has not run yet ({@link MetricsSnapshot#NONE}); its name and dependencies are its spec's. {@code note} says how
 * a resting service came to rest, for the boot report ({@link StartUp}).
 */
record Snapshot(long id, State state, Instant stateSince, Instant takenAt, long takenAtNanos,
    ServiceSpec spec, String owner, Instant createdAt, MetricsSnapshot metrics, Instant nextRestart,
    List<String> dependents, List<String> missingDependencies, long bundleRefreshes, String reason,
    List<String> overdueDependencies, String note) implements ServiceInfo {

  /**
   * @param now the time shown
   * @param nowNanos the monotonic reading of the same moment, which measures the uptime and the window
   * @return the same snapshot as seen then (uptimes and window count move on; nothing else does)
   */
  Snapshot at(Instant now, long nowNanos) {
    return new Snapshot(id, state, stateSince, now, nowNanos, spec, owner, createdAt, metrics, nextRestart,
        dependents, missingDependencies, bundleRefreshes, reason, overdueDependencies, note);
  }

  @Override public long startCount() { return metrics.startCount(); }

  @Override public long failureCount() { return metrics.failureCount(); }

  @Override public long successCount() { return metrics.successCount(); }

  @Override public long restartCount() { return metrics.restartCount(); }

  @Override
  public int restartsInWindow() {
    return metrics.restarts().count(takenAtNanos, spec.restartWindow());
  }

  /**
   * What the next decision will use: once the current run has been RUNNING for the restart window, its next
   * failure starts a new streak, so the streak shows 0 and the backoff delay zero from then on, not when
   * that failure comes.
   */
  @Override
  public int consecutiveFailures() {
    return outlivedTheWindow() ? 0 : metrics.consecutiveFailures();
  }

  /** @see #consecutiveFailures() */
  @Override
  public Duration currentDelay() {
    return outlivedTheWindow() ? Duration.ZERO : metrics.currentDelay();
  }

  private boolean outlivedTheWindow() {
    return state == State.RUNNING && metrics.runningSince() != null
        && takenAtNanos - metrics.runningSinceNanos() >= spec.restartWindow().toNanos();
  }

  @Override public String name() { return spec.name(); }

  @Override public String group() { return spec.group(); }

  @Override public List<String> dependencies() { return spec.allDependencies(); }

  /** @return the last failure, or null */
  Failure failure() { return metrics.failure(); }

  @Override public Optional<Failure> lastFailure() { return Optional.ofNullable(metrics.failure()); }

  @Override public Optional<String> stopReason() { return Optional.ofNullable(reason); }

  @Override public Optional<Instant> lastStartTime() { return Optional.ofNullable(metrics.lastStart()); }

  @Override public Optional<Instant> lastStopTime() { return Optional.ofNullable(metrics.lastStop()); }

  @Override
  public Duration currentUptime() {
    long since = metrics.runningSinceNanos();
    if (state != State.RUNNING || metrics.runningSince() == null || takenAtNanos <= since) {
      return Duration.ZERO;
    }
    return Duration.ofNanos(takenAtNanos - since); // monotonic: a wall-clock step cannot make it negative
  }

  @Override
  public Duration totalUptime() {
    return currentUptime().plusNanos(metrics.finishedUptime());
  }

  @Override
  public Duration averageUptime() {
    long runs = metrics.runsThatReachedRunning();
    return runs == 0 ? Duration.ZERO : totalUptime().dividedBy(runs);
  }

  @Override
  public Optional<Duration> timeToReady() {
    return metrics.timeToReadyNanos() < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(metrics.timeToReadyNanos()));
  }

  @Override public Optional<Instant> nextRestartAt() { return Optional.ofNullable(nextRestart); }

  @Override
  public String toString() {
    Failure failure = metrics.failure();
    return name() + " " + state + " since " + stateSince + (failure == null ? "" : " (last failure: " + failure + ")");
  }
}
