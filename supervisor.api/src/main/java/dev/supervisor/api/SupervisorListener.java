package dev.supervisor.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives every status update of every service. Register one as an OSGi service (whiteboard) or with
 * {@link Supervisor#addListener}.
 *
 * <p>Threads: calls come from a dispatcher thread of the supervisor, never from the thread that
 * supervises; each listener has its own serial queue, so one listener sees the updates of one service in
 * order, and a slow or throwing listener delays only itself. An exception thrown here is logged and
 * otherwise ignored.
 */
@ConsumerType
@FunctionalInterface
public interface SupervisorListener {

  /**
   * Called once per state change.
   *
   * @param update the change; immutable
   */
  void statusChanged(StatusUpdate update);

  /**
   * Called once when a service is removed (unregistered, its bundle stopped, or removed by hand), after
   * its last status update, on the same queue. The default does nothing.
   *
   * @param serviceId the id its updates carried
   * @param serviceName its name
   */
  default void serviceRemoved(long serviceId, String serviceName) {}

  /**
   * Called once when the supervisor as a whole has ended (closed, or stopped by a fatal error or by its
   * root group giving up), after every service has stopped and after their last updates. The default does
   * nothing.
   *
   * @param termination how it ended
   */
  default void supervisorTerminated(Termination termination) {}

  /**
   * A dependency of a service has not been registered for longer than the service's
   * {@code supervisor.missingDependencyGrace}; said once per service and missing name (again only if it
   * appears and goes missing anew). The default does nothing.
   *
   * @param missing who waits for what, since when, and the closest registered name
   * @since 1.3
   */
  default void dependencyMissing(MissingDependency missing) {}
}
