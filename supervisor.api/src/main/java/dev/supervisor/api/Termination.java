package dev.supervisor.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How a supervisor ended: normally (exit status 0, no cause: closed, or a service asked for it with
 * {@code FatalException(0, ...)}), or stopped by a {@link FatalException} with another status or by its root
 * group giving up (a non-zero status and the failure that caused it).
 *
 * @param time when every service had stopped
 * @param exitStatus 0 for a normal end; the {@link FatalException}'s status; 1 when the root group gave up
 * @param service the service whose failure (or request) ended the supervisor, or empty for a close
 * @param cause that failure, or empty for a normal end
 */
public record Termination(Instant time, int exitStatus, Optional<String> service, Optional<Failure> cause) {

  /** Checks that no component is null. */
  public Termination {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(cause, "cause");
  }

  /** @return true for a normal close */
  public boolean isNormal() {
    return cause.isEmpty();
  }
}
