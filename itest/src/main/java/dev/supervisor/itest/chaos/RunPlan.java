package dev.supervisor.itest.chaos;

/**
 * What one run of a chaos worker does, drawn by the test from its seeded random source before the run
 * starts its work. Immutable.
 *
 * @param readyAfterMillis with readiness EXPLICIT: when to call {@code ctx.ready()}; -1 = never (the
 *     ready timeout ends the run)
 * @param endAfterMillis when the run ends by itself (after being ready); -1 = only when asked to stop
 * @param ending how it ends by itself
 * @param ignoreStopMillis how long the run ignores a stop request (and interrupts) before it returns; 0 =
 *     it returns at once; always bounded, so no run outlives the test
 * @param stopThrows whether the worker's {@code stop()} throws (the run still ends when asked)
 */
public record RunPlan(long readyAfterMillis, long endAfterMillis, Ending ending, long ignoreStopMillis,
    boolean stopThrows) {

  /** A well-behaved run: ready at once, runs until asked to stop, stops at once. */
  public static final RunPlan CALM = new RunPlan(0, -1, Ending.RETURN, 0, false);

  /** How a run ends by itself. */
  public enum Ending {
    /** {@code run} returns normally: done (restarted only under ALWAYS). */
    RETURN,
    /** {@code run} throws an Exception. */
    EXCEPTION,
    /** {@code run} throws an Error. */
    ERROR,
    /** {@code run} throws DoNotRestartException. */
    DO_NOT_RESTART
  }
}
