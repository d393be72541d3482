package dev.supervisor.api;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One recorded failure of a service: what kind, the exception's class, message and stack trace, and when.
 * Immutable and safe to share between threads.
 *
 * <p>The stack trace may be printed lazily, when {@link #stackTrace()} is first called: printing one on
 * every failure would be most of what a restart costs in a crash storm, and hardly anyone reads it. Until
 * it is printed, such a failure holds what prints it (the supervisor's holds the exception); the supervisor
 * prints it when the service is removed, so a failure then holds only names and text, never the exception,
 * and a stopped bundle's class loader can be collected.
 */
public final class Failure {
  private final FailureKind kind;
  private final String exceptionClass;
  private final String message;
  private final Instant time;
  private volatile String stackTrace;
  /** What prints the stack trace; dropped once it has. Guarded by {@code this}. */
  private Supplier<String> printer;

  /**
   * @param kind what failed
   * @param exceptionClass the exception's class name, or empty for failures without one (ready timeout)
   * @param message the exception's message or a description of the failure; never null
   * @param stackTrace the printed stack trace, or empty
   * @param time when the supervisor saw the failure
   */
  public Failure(FailureKind kind, String exceptionClass, String message, String stackTrace, Instant time) {
    this(kind, exceptionClass, message, time);
    this.stackTrace = Objects.requireNonNull(stackTrace, "stackTrace");
  }

  /**
   * A failure whose stack trace is printed when first read.
   *
   * @param kind what failed
   * @param exceptionClass the exception's class name, or empty for failures without one (ready timeout)
   * @param message the exception's message or a description of the failure; never null
   * @param stackTrace prints the stack trace (or returns empty); called at most once, on the first
   *     {@link #stackTrace()}, and then dropped; it must not return null
   * @param time when the supervisor saw the failure
   * @since 1.2
   */
  public Failure(FailureKind kind, String exceptionClass, String message, Supplier<String> stackTrace,
      Instant time) {
    this(kind, exceptionClass, message, time);
    this.printer = Objects.requireNonNull(stackTrace, "stackTrace");
  }

  private Failure(FailureKind kind, String exceptionClass, String message, Instant time) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.exceptionClass = Objects.requireNonNull(exceptionClass, "exceptionClass");
    this.message = Objects.requireNonNull(message, "message");
    this.time = Objects.requireNonNull(time, "time");
  }

  /** @return what failed */
  public FailureKind kind() { return kind; }

  /** @return the exception's class name, or empty for failures without one (ready timeout) */
  public String exceptionClass() { return exceptionClass; }

  /** @return the exception's message or a description of the failure; never null */
  public String message() { return message; }

  /** @return when the supervisor saw the failure */
  public Instant time() { return time; }

  /** @return the printed stack trace, or empty; printed on the first call if it was not given as text */
  public String stackTrace() {
    String printed = stackTrace;
    if (printed != null) {
      return printed;
    }
    synchronized (this) {
      if (stackTrace == null) {
        stackTrace = Objects.requireNonNull(printer.get(), "printed stack trace");
        printer = null;
      }
      return stackTrace;
    }
  }

  /** Equal when every component is, the stack trace included (which prints it). */
  @Override
  public boolean equals(Object other) {
    return other instanceof Failure that && kind == that.kind && exceptionClass.equals(that.exceptionClass)
        && message.equals(that.message) && time.equals(that.time) && stackTrace().equals(that.stackTrace());
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, exceptionClass, message, time);
  }

  /** @return "KIND: class: message", for logs */
  @Override
  public String toString() {
    return kind + (exceptionClass.isEmpty() ? "" : ": " + exceptionClass) + ": " + message;
  }
}
