package dev.supervisor.impl.engine;

import java.time.Duration;

/**
 * At most one failure warning per service and interval: a crash storm must not flood the log, nor spend
 * its time building lines. The counts stay exact; the next line written says how many were left out.
 * Control thread only.
 */
final class FailureLogQuota {
  static final Duration INTERVAL = Duration.ofSeconds(1);

  /** Until when failures are counted but not logged (monotonic nanoseconds; valid once one was logged). */
  private long quietUntil;
  private boolean logged;
  private long notLogged;

  /**
   * @param nowNanos the monotonic time of the failure
   * @return null to stay quiet; else what to append to the warning (empty unless some were left out)
   */
  String admit(long nowNanos) {
    if (logged && nowNanos < quietUntil) {
      notLogged++;
      return null;
    }
    String left = notLogged == 0 ? ""
        : " (" + notLogged + " earlier failures within " + INTERVAL.toSeconds() + "s of a logged one were not logged)";
    notLogged = 0;
    quietUntil = nowNanos + INTERVAL.toNanos();
    logged = true;
    return left;
  }
}
