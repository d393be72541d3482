package dev.supervisor.health;

import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.State;
import org.apache.felix.hc.api.Result;

/**
 * How one supervised service counts towards its group's health. The rule, in one place:
 * <ul>
 * <li>{@code CRITICAL}: {@code FAILED} (restart limits reached, or a fatal error): nobody will restart it.</li>
 * <li>{@code WARN}: restarting: {@code BACKOFF}, or {@code STARTING} / {@code WAITING} after failures
 * (its consecutive-failure count is above 0, so it is on its way back up after a crash); or waiting on an
 * overdue dependency, one not registered for longer than its {@code supervisor.missingDependencyGrace}
 * (nothing else would report it: a misspelt name is never registered).</li>
 * <li>{@code OK}: everything else: {@code RUNNING}; {@code STOPPING}; {@code IDLE} and {@code STOPPED},
 * which are an operator's or the policy's choice; a first {@code STARTING}; and {@code WAITING} without
 * failures on dependencies that exist or are missing within their grace period (a registered dependency's
 * own state reports it).</li>
 * </ul>
 */
final class MemberHealth {

  private MemberHealth() {}

  /**
   * @param info a snapshot of the service
   * @return its status by the rule above
   */
  static Result.Status statusOf(ServiceInfo info) {
    State state = info.state();
    if (state == State.FAILED) {
      return Result.Status.CRITICAL;
    }
    return isRestarting(info) || hasOverdueDependencies(info) ? Result.Status.WARN : Result.Status.OK;
  }

  /** @return whether it is on its way back up after failures: BACKOFF, or STARTING / WAITING after failures */
  static boolean isRestarting(ServiceInfo info) {
    State state = info.state();
    return state == State.BACKOFF
        || (state == State.STARTING || state == State.WAITING) && info.consecutiveFailures() > 0;
  }

  /** @return whether a dependency it waits for has been missing for longer than its grace period */
  static boolean hasOverdueDependencies(ServiceInfo info) {
    return !info.overdueDependencies().isEmpty();
  }
}
