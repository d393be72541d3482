package dev.supervisor.impl.engine;

import dev.supervisor.api.RestartPolicy;
import dev.supervisor.api.ServiceSpec;
import java.time.Duration;

/**
 * What the end of a run means for a service's own restarts, as one pure function (OTP's {@code do_restart}
 * table): restart after a delay, give up (the limits are used up: FAILED, or an escalation), or rest
 * (STOPPED). It knows nothing of groups: a failure the budget allows still counts against the group's
 * intensity, which {@link Supervision} asks {@link Groups} about afterwards.
 */
final class RestartBudget {
  private RestartBudget() {}

  /** How a run ended. */
  enum Outcome {
    /** {@code run} returned normally. */
    RETURNED,
    /** {@code run} threw {@code DoNotRestartException}. */
    DO_NOT_RESTART,
    /** {@code run} failed (threw, or never became ready in time). */
    FAILED
  }

  /** The answer. */
  sealed interface Decision {
    /** Start again after {@code delay} (the backoff, jitter included). */
    record Restart(Duration delay) implements Decision {}

    /** The limits are used up; {@code why} names the limit and its value. */
    record GiveUp(String why) implements Decision {}

    /** Not to be restarted: the policy does not ask for it. */
    record Rest() implements Decision {}
  }

  /**
   * @param spec the service's spec
   * @param outcome how the run ended
   * @param restarts restarts scheduled so far (the lifetime count)
   * @param restartsInWindow restarts inside the restart window now
   * @param consecutiveFailures the failure streak, this failure included (ignored unless FAILED)
   * @param jitterOffset from {@link Jitter#offset}
   * @return restart after a delay, give up, or rest
   */
  static Decision decide(ServiceSpec spec, Outcome outcome, long restarts, int restartsInWindow,
      int consecutiveFailures, double jitterOffset) {
    boolean wantsRestart = switch (outcome) {
      case DO_NOT_RESTART -> false;
      case RETURNED -> spec.restart() == RestartPolicy.ALWAYS;
      case FAILED -> spec.restart() != RestartPolicy.NEVER;
    };
    if (!wantsRestart) {
      return new Decision.Rest();
    }
    // Every restart counts, a normal return's too (OTP counts a permanent child's normal exits).
    if (spec.maxRestarts() > 0 && restarts >= spec.maxRestarts()) {
      return new Decision.GiveUp(restarts + " restarts reached " + ServiceSpec.MAX_RESTARTS + " = " + spec.maxRestarts());
    }
    if (spec.maxRestartsInWindow() > 0 && restartsInWindow >= spec.maxRestartsInWindow()) {
      return new Decision.GiveUp(restartsInWindow + " restarts within " + ServiceSpec.RESTART_WINDOW + " = "
          + spec.restartWindow() + " reached " + ServiceSpec.MAX_RESTARTS_IN_WINDOW + " = "
          + spec.maxRestartsInWindow());
    }
    int streak = outcome == Outcome.FAILED ? consecutiveFailures : 0; // after a success: the first delay
    return new Decision.Restart(Backoff.delay(spec, streak, jitterOffset));
  }
}
