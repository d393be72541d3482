package dev.supervisor.impl.engine;

import dev.supervisor.api.Failure;
import java.time.Duration;
import java.time.Instant;

/**
 * What a {@link Snapshot} shows of a service's {@link ServiceMetrics}: an immutable copy, made when the
 * snapshot is. A registration that has never been launched nor failed has no metrics, and all its snapshots
 * share {@link #NONE}, so an idle service's snapshot holds none of these fields itself.
 *
 * @param runningSince while RUNNING, since when (shown); {@code runningSinceNanos} is the same moment on the
 *     monotonic clock, which measures the uptime
 * @param finishedUptime nanoseconds RUNNING of every run that has ended
 * @param timeToReadyNanos launch to ready of the last run that got there; -1 if none did
 */
record MetricsSnapshot(long startCount, long failureCount, long successCount, long restartCount,
    int consecutiveFailures, RestartWindow.View restarts, Failure failure, Instant lastStart, Instant lastStop,
    Instant runningSince, long runningSinceNanos, long finishedUptime, long runsThatReachedRunning,
    long timeToReadyNanos, Duration currentDelay) {

  /** Nothing has happened yet: every count zero, no times, no failure, no delay. */
  static final MetricsSnapshot NONE = new MetricsSnapshot(0, 0, 0, 0, 0, RestartWindow.View.EMPTY, null, null, null,
      null, 0, 0, 0, -1, Duration.ZERO);
}
