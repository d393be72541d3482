package dev.supervisor.impl.engine;

import dev.supervisor.api.Escalation;

/**
 * Carries out a service's escalation ({@code supervisor.escalate}) outside the engine, when its restarts are
 * used up: for {@link Escalation#REFRESH_BUNDLE}, refreshing the bundle that registered it. The OSGi adapter
 * gives one with each registration (it knows the bundle then); the engine itself knows no bundles.
 *
 * <p>Threads: called on a worker-pool thread, never on the control thread (a refresh may take the framework's
 * locks, and the framework may call back into the supervisor while it stops the bundle), at most once per
 * service name until that name is reset.
 */
@FunctionalInterface
public interface Escalator {

  /** Refuses every escalation: a worker added through the plain engine API has no bundle to refresh. */
  Escalator NONE = (serviceName, escalation) -> {
    throw new IllegalStateException("no bundle is known for it (it was not added through OSGi)");
  };

  /**
   * Starts the escalation and returns; what it sets off (the bundle stopping, the service going away, the
   * bundle starting and registering it again) happens later, on other threads.
   *
   * @param serviceName the service whose restarts are used up
   * @param escalation what its spec asks for (never {@link Escalation#NONE})
   * @throws RuntimeException if it cannot be done; the message says why, and the service goes FAILED
   */
  void escalate(String serviceName, Escalation escalation);
}
