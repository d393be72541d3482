package dev.supervisor.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A dependency that has not been registered for longer than its service's
 * {@code supervisor.missingDependencyGrace}: reported once, to listeners
 * ({@link SupervisorListener#dependencyMissing}), in the log and over JMX. The service still waits for it
 * (in OSGi a bundle may come late) and starts when it appears; a misspelt name is the usual cause, hence
 * {@link #closestName()}.
 *
 * @param service the service that waits
 * @param dependency the name it depends on, not registered
 * @param since when the dependency was first seen missing
 * @param grace the grace period that ran out
 * @param closestName the registered name nearest to it (a few edits away), when there is one
 * @since 1.3
 */
public record MissingDependency(String service, String dependency, Instant since, Duration grace,
    Optional<String> closestName) {

  @Override
  public String toString() {
    return "service '" + service + "' depends on '" + dependency + "', which has not been registered for "
        + grace + " (since " + since + ")" + closestName.map(n -> "; did you mean '" + n + "'?").orElse("");
  }
}
