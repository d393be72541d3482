package dev.supervisor.api;

/** When a started service counts as ready, so that its dependents may start. */
public enum Readiness {
  /** Ready as soon as {@code run} is entered. The default. */
  AUTO,
  /**
   * Ready when the worker calls {@link RunContext#ready()}; if it does not within
   * {@code supervisor.readyTimeout}, the start counts as a failure.
   */
  EXPLICIT
}
