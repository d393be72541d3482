package dev.supervisor.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One recorded failure of a service: what kind, the exception's class, message and stack trace, and when.
 * Only the names and text of the exception are kept, never the exception itself, so a failure holds no
 * reference into the worker's bundle (a stopped bundle's class loader can be collected).
 *
 * @param kind what failed
 * @param exceptionClass the exception's class name, or empty for failures without one (ready timeout)
 * @param message the exception's message or a description of the failure; never null
 * @param stackTrace the printed stack trace, or empty
 * @param time when the supervisor saw the failure
 */
public record Failure(FailureKind kind, String exceptionClass, String message, String stackTrace, Instant time) {

  /** Checks that no component is null. */
  public Failure {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(exceptionClass, "exceptionClass");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(stackTrace, "stackTrace");
    Objects.requireNonNull(time, "time");
  }

  /** @return "KIND: class: message", for logs */
  @Override
  public String toString() {
    return kind + (exceptionClass.isEmpty() ? "" : ": " + exceptionClass) + ": " + message;
  }
}
