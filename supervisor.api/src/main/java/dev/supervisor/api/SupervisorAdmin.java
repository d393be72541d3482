package dev.supervisor.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What operators' tools (the JMX MBeans, the shell) do beyond what one bundle may: registered by the
 * implementation beside the {@link Supervisor} service. A worker bundle has no need of it: through
 * {@link Supervisor} it controls every service and removes what it added itself.
 *
 * <p>Any bundle can get this service, as any can get {@link Supervisor}; what stands between an operator
 * and these calls is the JMX ACL and the shell's command ACL (Karaf), or a {@code ServicePermission} under
 * a security manager.
 *
 * <pre>{@code
 * @Reference SupervisorAdmin admin;
 *
 * admin.remove("poller"); // added by some bundle through Supervisor.add: stopped (dependents first) and removed
 * }</pre>
 *
 * <p>Threads: safe to call from any thread, concurrently; no lock is held while calling worker code.
 *
 * @since 1.3
 */
@ProviderType
public interface SupervisorAdmin {

  /**
   * Stops (dependents first) and removes a service that a bundle added through the {@link Supervisor}
   * service, whichever bundle that was; blocks until it has stopped or its stop timeout ran out. The bundle
   * that added it is not told (its token's {@code remove()} then finds nothing to remove). Idempotent: a
   * name that is not supervised is not an error, and nothing happens.
   *
   * <p>An OSGi service registration (whiteboard, a supervised Declarative Services component, or a rejected
   * registration) is refused and left as it is: it belongs to the bundle that registered it, and the
   * supervisor follows that registration. Unregister it there, or {@link Supervisor#stop stop} it.
   *
   * @param name the service
   * @throws SupervisorException {@code INVALID_ARGUMENT} for a null name; {@code NOT_OWNER} for an OSGi
   *     service registration (the message names the bundle); {@code STOP_FAILURE} if it was removed but did
   *     not stop cleanly, as for {@link Supervisor#remove(ServiceToken)}
   */
  void remove(String name);
}
