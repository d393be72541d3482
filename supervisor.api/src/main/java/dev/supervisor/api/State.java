package dev.supervisor.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life-cycle states of a supervised service.
 *
 * <pre>
 *  IDLE ──start──▶ WAITING ──deps RUNNING──▶ STARTING ──ready──▶ RUNNING
 *                     ▲                         │                  │
 *                     └──── a dependency left ──┴───── STOPPING ◀──┘ (stop, restart, dependency, remove)
 *  run failed ──▶ BACKOFF ──delay──▶ WAITING/STARTING     limits reached, fatal, rejected ──▶ FAILED
 *  stopped by hand, or done and not to be restarted ──▶ STOPPED
 * </pre>
 */
public enum State {
  /** Registered, not started: {@code supervisor.autoStart=false} and nobody started it yet. */
  IDLE,
  /** Wants to run, but a dependency is missing or not {@link #RUNNING}. */
  WAITING,
  /** {@code run} has been called (or is about to be); the worker has not signalled readiness yet. */
  STARTING,
  /** Ready: dependents may start. */
  RUNNING,
  /** Asked to stop; {@code run} has not returned yet. */
  STOPPING,
  /** Stopped by hand, or finished and not to be restarted. */
  STOPPED,
  /** Failed; a restart is scheduled after the current restart delay. */
  BACKOFF,
  /** Restart limits reached, a fatal error, or a rejected registration; only reset or re-registration leaves it. */
  FAILED;

  private static final Set<State> LIVE = EnumSet.of(STARTING, RUNNING, STOPPING);

  /** @return true while a {@code run} call may be in progress (STARTING, RUNNING, STOPPING) */
  public boolean isLive() {
    return LIVE.contains(this);
  }

  /** @return true for states that stay put until someone acts (IDLE, STOPPED, FAILED) */
  public boolean isResting() {
    return this == IDLE || this == STOPPED || this == FAILED;
  }

  /**
   * Whether the supervisor may move a service from this state to {@code next}. The engine asserts this
   * on every transition, so an impossible transition is a bug that is reported, never silently taken.
   *
   * @param next the state after the transition
   * @return true if the transition is legal
   */
  public boolean canMoveTo(State next) {
    if (next == this) {
      return false;
    }
    switch (this) {
      case IDLE:
      case STOPPED:
      case FAILED:
        return next == WAITING || next == STARTING || next == IDLE || next == FAILED || next == STOPPED;
      case WAITING:
        return next == STARTING || next == STOPPED || next == FAILED || next == IDLE;
      case STARTING:
        return next == RUNNING || next == STOPPING || next == BACKOFF || next == STOPPED
            || next == FAILED || next == WAITING;
      case RUNNING:
        return next == STOPPING || next == BACKOFF || next == STOPPED || next == FAILED
            || next == WAITING || next == STARTING;
      case STOPPING:
        return next == STOPPED || next == WAITING || next == STARTING || next == BACKOFF || next == FAILED;
      case BACKOFF:
        return next == WAITING || next == STARTING || next == STOPPED || next == FAILED;
      default:
        throw new AssertionError(this);
    }
  }
}
