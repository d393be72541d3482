package dev.supervisor.api;

/**
 * Thrown from {@link Supervised#run} to end the service for good: it becomes {@link State#STOPPED} and is
 * not restarted, whatever its restart policy, until someone starts it again. It does not count as a
 * failure toward any restart limit; its message is kept as the stop reason.
 */
public class DoNotRestartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message why the service ends */
  public DoNotRestartException(String message) {
    super(message);
  }

  /**
   * @param message why the service ends
   * @param cause the underlying error, if any
   */
  public DoNotRestartException(String message, Throwable cause) {
    super(message, cause);
  }
}
