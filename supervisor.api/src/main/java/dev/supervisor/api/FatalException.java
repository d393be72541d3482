package dev.supervisor.api;

/**
 * Thrown from {@link Supervised#run} to end the supervisor: it stops every service in reverse dependency
 * order and records this exit status. A non-zero status is a fatal failure: the service is FAILED and the
 * {@link Termination} carries it as its cause. Status 0 is a clean, requested end (a batch job that has
 * done its work, say): the service rests STOPPED, nothing is counted as a failure, and the termination is
 * normal. (Whether the OSGi framework then stops too, and the launcher exits with the status, is a
 * configuration switch of the supervisor: {@code fatal.action}.)
 */
public class FatalException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitStatus;

  /**
   * @param exitStatus the status a process exit would report; 0 to 255 by convention
   * @param message what went wrong
   */
  public FatalException(int exitStatus, String message) {
    super(message);
    this.exitStatus = exitStatus;
  }

  /**
   * @param exitStatus the status a process exit would report
   * @param message what went wrong
   * @param cause the underlying error
   */
  public FatalException(int exitStatus, String message, Throwable cause) {
    super(message, cause);
    this.exitStatus = exitStatus;
  }

  /** @return the exit status recorded when the supervisor stops */
  public int exitStatus() {
    return exitStatus;
  }
}
