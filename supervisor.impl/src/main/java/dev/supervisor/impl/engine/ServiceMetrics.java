package dev.supervisor.impl.engine;

import dev.supervisor.api.Failure;
import dev.supervisor.api.ServiceSpec;
import java.time.Duration;
import java.time.Instant;

/**
 * What has happened to one service, counted: starts, failures, restarts, the restart window, uptimes and
 * the backoff streak. Control thread only; {@link Publisher} copies it into each snapshot ({@link #snapshot()}).
 * Made when something first happens to the service (a launch, a failure, a restart): until then the engine
 * keeps none, and its snapshots show {@link MetricsSnapshot#NONE} (see {@link ServiceEntry#metrics()}).
 * Durations that change on every restart are kept in nanoseconds of the monotonic clock, so the restart path
 * allocates no {@code Duration}, and a step of the wall clock changes nothing measured here.
 */
final class ServiceMetrics {
  /** Launches of this registration: {@code RunContext.attempt()}. */
  int attempts;
  long startCount;
  long failureCount;
  long successCount;
  long restartCount;
  /** Failures in a row; a run that outlived the restart window starts a new streak. */
  int consecutiveFailures;
  final RestartWindow window = new RestartWindow();
  Failure lastFailure;
  Instant lastStart;
  Instant lastStop;
  /** While RUNNING: since when (shown), and the same moment on the monotonic clock (uptimes). */
  Instant runningSince;
  long runningSinceNanos;
  /** When the current run began, monotonic: time to ready is measured from it. */
  long lastStartNanos;
  /** Nanoseconds the last run was RUNNING: decides whether its failure starts a new streak. */
  long lastRunUptime;
  /** Nanoseconds RUNNING of every run that has ended. */
  long finishedUptime;
  long runsThatReachedRunning;
  long timeToReadyNanos = -1;
  Duration currentDelay = Duration.ZERO;

  void launched(Instant now, long nowNanos) {
    attempts++;
    startCount++;
    lastStart = now;
    lastStartNanos = nowNanos;
  }

  /** @param firstTimeThisRun false when a worker that went back to STARTING (notReady) is ready again */
  void becameRunning(Instant now, long nowNanos, boolean firstTimeThisRun) {
    runningSince = now;
    runningSinceNanos = nowNanos;
    if (firstTimeThisRun) {
      runsThatReachedRunning++;
      timeToReadyNanos = Math.max(0, nowNanos - lastStartNanos); // a Duration only when read
    }
  }

  /** @return how long the run that is leaving RUNNING was there, in nanoseconds (zero if it never got there) */
  long leftRunning(long nowNanos) {
    if (runningSince == null) {
      lastRunUptime = 0;
      return 0;
    }
    long uptime = Math.max(0, nowNanos - runningSinceNanos);
    finishedUptime += uptime;
    runningSince = null;
    lastRunUptime = uptime;
    return uptime;
  }

  void runReturned(Instant now) {
    lastStop = now;
  }

  /** {@code run} returned normally (or with DoNotRestartException): the streak is over. */
  void ended() {
    successCount++;
    consecutiveFailures = 0;
  }

  /**
   * @param uptime how long the failed run was RUNNING, in nanoseconds: one that outlived the window was
   *     healthy, so this failure starts a new streak, with the first delay
   */
  void failed(Failure failure, long uptime, Duration restartWindow) {
    failureCount++;
    lastFailure = failure;
    if (uptime >= restartWindow.toNanos()) {
      consecutiveFailures = 0;
    }
    consecutiveFailures++;
  }

  /**
   * A failure that is not followed by a restart decision ({@code stop()} threw, the stop timed out, a fatal
   * error): counted and shown, the streak untouched.
   */
  void counted(Failure failure) {
    failureCount++;
    lastFailure = failure;
  }

  void restartScheduled(long nowNanos, ServiceSpec spec, Duration delay) {
    restartCount++;
    window.record(nowNanos, spec.restartWindow(), spec.maxRestartsInWindow());
    currentDelay = delay;
  }

  /** @return restarts within the spec's window now; 0 when no window limit is set (nothing to count) */
  int restartsInWindow(long nowNanos, ServiceSpec spec) {
    return spec.maxRestartsInWindow() > 0 ? window.count(nowNanos, spec.restartWindow()) : 0;
  }

  /** @return what a snapshot shows of these metrics now */
  MetricsSnapshot snapshot() {
    return new MetricsSnapshot(startCount, failureCount, successCount, restartCount, consecutiveFailures,
        window.view(), lastFailure, lastStart, lastStop, runningSince, runningSinceNanos, finishedUptime,
        runsThatReachedRunning, timeToReadyNanos, currentDelay);
  }

  /** A reset: restart limits and the backoff streak start over; what happened stays counted. */
  void reset() {
    restartCount = 0;
    consecutiveFailures = 0;
    window.clear();
    currentDelay = Duration.ZERO;
  }
}
