package dev.supervisor.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An immutable snapshot of one supervised service: its state, its spec and every metric. Reading one
 * never blocks the supervisor; a snapshot does not change after it was taken (take a new one with
 * {@link Supervisor#info}). Time-dependent figures (uptimes) are computed as of {@link #takenAt()}.
 */
@ProviderType
public interface ServiceInfo {

  /** @return a number unique to this registration within its supervisor (the same as in status updates) */
  long id();

  /** @return the service's name */
  String name();

  /** @return the state when the snapshot was taken */
  State state();

  /** @return when the service entered its current state */
  Instant stateSince();

  /** @return when this snapshot was taken; uptimes are as of this time */
  Instant takenAt();

  /** @return the effective spec (rejected registrations: the defaults under the name shown) */
  ServiceSpec spec();

  /** @return the path of the group that owns it ({@code supervisor.group}); "" is the root group */
  String group();

  /**
   * @return who registered it: the bundle, as {@code "com.acme.workers [42]"}, for whiteboard services and
   *     for workers added through the OSGi {@link Supervisor} service; {@code "api"} for a supervisor used
   *     outside OSGi
   */
  String owner();

  /** @return when the service was added */
  Instant createdAt();

  /** @return how many times {@code run} was called */
  long startCount();

  /** @return how many runs ended in failure (exceptions, ready timeouts, stop timeouts) */
  long failureCount();

  /** @return how many runs returned normally (DoNotRestartException included) */
  long successCount();

  /** @return how many restarts the supervisor scheduled after a run ended (limits count these) */
  long restartCount();

  /** @return failures since the last run that did not fail (or that outlived the restart window) */
  int consecutiveFailures();

  /** @return restarts inside the sliding restart window, as of {@link #takenAt()} */
  int restartsInWindow();

  /** @return the most recent failure, if any (for rejected registrations: why) */
  Optional<Failure> lastFailure();

  /** @return when {@code run} was last called */
  Optional<Instant> lastStartTime();

  /** @return when {@code run} last returned (or was abandoned) */
  Optional<Instant> lastStopTime();

  /** @return how long the current run has been RUNNING; zero when not RUNNING */
  Duration currentUptime();

  /** @return RUNNING time over all runs, the current one included */
  Duration totalUptime();

  /** @return {@link #totalUptime()} divided by the number of runs that reached RUNNING; zero if none did */
  Duration averageUptime();

  /** @return from {@code run} entered to ready, for the last start that became ready */
  Optional<Duration> timeToReady();

  /** @return the delay of the restart scheduled now (BACKOFF) or last; zero if none yet */
  Duration currentDelay();

  /** @return in BACKOFF, when the restart is due */
  Optional<Instant> nextRestartAt();

  /** @return the dependencies, declared then derived ({@link ServiceSpec#allDependencies()}), in that order */
  List<String> dependencies();

  /** @return services that declare this one as a dependency, sorted by name */
  List<String> dependents();

  /** @return dependencies (declared or derived) that are not registered at the moment */
  List<String> missingDependencies();

  /**
   * @return those of {@link #missingDependencies()} that have been missing for longer than
   *     {@code supervisor.missingDependencyGrace}: reported (log, listeners, JMX, health), still waited for
   * @since 1.3
   */
  default List<String> overdueDependencies() {
    return List.of();
  }

  /**
   * @return how many times the supervisor had the bundle of a service of this name refreshed because its
   *     restarts were used up ({@code supervisor.escalate=REFRESH_BUNDLE}); counted by name, so it carries
   *     over to the registration the refreshed bundle makes
   */
  default long bundleRefreshes() {
    return 0;
  }

  /**
   * @return why the service last ended for good without failing: the message of the
   *     {@link DoNotRestartException} its {@code run} threw; empty if it did not, and again once it starts anew
   * @since 1.2
   */
  default Optional<String> stopReason() {
    return Optional.empty();
  }

  /**
   * @return whether this is a registration the supervisor refused (a bad {@code supervisor.*} property, a
   *     name already taken, a dependency cycle...): it is shown FAILED, never runs, and its
   *     {@link #lastFailure()}, of kind {@link FailureKind#REJECTED}, says why, until the registering bundle
   *     unregisters it or registers it again with the mistake fixed
   * @since 1.3
   */
  default boolean rejected() {
    // Only a refused registration ever records a REJECTED failure, and it keeps it: it never runs again.
    return lastFailure().map(failure -> failure.kind() == FailureKind.REJECTED).orElse(false);
  }
}
