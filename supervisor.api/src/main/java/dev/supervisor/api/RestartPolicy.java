package dev.supervisor.api;

/** When a service whose {@code run} ended is started again (OTP's permanent, transient, temporary). */
public enum RestartPolicy {
  /**
   * Restart whether {@code run} failed or returned normally (permanent). Every restart counts toward the restart
   * limits, a normal return's too: past them the service is {@link State#FAILED} ({@link FailureKind#RESTART_LIMIT}).
   */
  ALWAYS,
  /** Restart only when {@code run} failed (transient). The default. */
  ON_FAILURE,
  /** Never restart; a failure leaves the service {@link State#STOPPED} with its error recorded (temporary). */
  NEVER
}
