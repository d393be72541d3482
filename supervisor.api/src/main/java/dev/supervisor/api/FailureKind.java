package dev.supervisor.api;

/** What kind of failure a {@link Failure} records. */
public enum FailureKind {
  /** {@code run} threw a checked exception (a returned error, in Go's terms). */
  EXCEPTION,
  /** {@code run} threw an unchecked exception or an {@link Error} (a panic). */
  PANIC,
  /** The worker did not call {@link RunContext#ready()} within its ready timeout. */
  READY_TIMEOUT,
  /** {@code run} did not return within the stop timeout: the thread was interrupted and abandoned. */
  STOP_TIMEOUT,
  /**
   * The worker's {@code stop()} threw; the supervisor still waited for {@code run} to return.
   *
   * @since 1.2
   */
  STOP_FAILURE,
  /** {@code run} threw {@link FatalException}: the whole supervisor stops. */
  FATAL,
  /** The registration itself was invalid (bad property, duplicate name, dependency cycle...). */
  REJECTED,
  /**
   * Nothing failed, but {@code run} kept returning under {@link RestartPolicy#ALWAYS} until the restart limits
   * ({@code supervisor.maxRestarts}, {@code supervisor.maxRestartsInWindow}) were reached.
   *
   * @since 1.2
   */
  RESTART_LIMIT
}
