package dev.supervisor.api;

/**
 * Thrown from {@link Supervised#run} when nothing can go on: the supervisor stops every service in reverse
 * dependency order and records this exit status and cause. (Whether the OSGi framework then stops too is
 * a configuration switch of the supervisor.)
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
