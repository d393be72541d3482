package dev.supervisor.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Returned by {@link Supervisor#add}: the handle that removes what was added. Only the supervisor that
 * issued a token accepts it ({@link SupervisorException.Kind#WRONG_SUPERVISOR} otherwise).
 */
@ProviderType
public interface ServiceToken {

  /** @return the name of the service this token stands for */
  String name();

  /**
   * Stops the service (dependents first) and removes it, blocking until it has stopped or its stop timeout
   * ran out. Same as {@code supervisor.remove(this)} on the issuing supervisor.
   *
   * @throws SupervisorException {@link SupervisorException.Kind#UNKNOWN_SERVICE} if already removed;
   *     {@link SupervisorException.Kind#STOP_FAILURE} if it was removed but did not stop cleanly (its
   *     {@code stop()} threw, or {@code run} outlived the stop timeout and was abandoned)
   */
  void remove();
}
