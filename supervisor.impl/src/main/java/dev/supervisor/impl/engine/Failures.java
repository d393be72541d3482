package dev.supervisor.impl.engine;

import dev.supervisor.api.Failure;
import dev.supervisor.api.FailureKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;

/** How a throwable, or a thread that will not stop, becomes a {@link Failure}. */
final class Failures {
  private Failures() {}

  /** The stack trace is printed when first read, not here: on the restart path, hardly anyone reads it. */
  static Failure of(FailureKind kind, Throwable error, Instant at) {
    String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    return new Failure(kind, error.getClass().getName(), message, () -> stackTraceOf(error), at);
  }

  /** @return what {@code run} threw, as a failure: PANIC for an unchecked exception or an error, else EXCEPTION */
  static Failure ofCrash(Throwable error, Instant at) {
    return of(error instanceof RuntimeException || error instanceof Error ? FailureKind.PANIC : FailureKind.EXCEPTION,
        error, at);
  }

  /** @return a failure with no exception behind it (a timeout, a limit, a refusal) */
  static Failure of(FailureKind kind, String message, String stack, Instant at) {
    return new Failure(kind, "", message, stack, at);
  }

  private static String stackTraceOf(Throwable error) {
    StringWriter out = new StringWriter();
    error.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  /** @return where a thread is now, as a stack trace: what a run that will not stop is doing */
  static String stackOf(Thread thread) {
    StringBuilder out = new StringBuilder(thread.getName()).append('\n');
    for (StackTraceElement element : thread.getStackTrace()) {
      out.append("\tat ").append(element).append('\n');
    }
    return out.toString();
  }
}
