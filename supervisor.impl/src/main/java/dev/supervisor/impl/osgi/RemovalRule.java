package dev.supervisor.impl.osgi;

import dev.supervisor.api.SupervisorException;
import dev.supervisor.api.SupervisorException.Kind;

/**
 * Who may remove a service by name. A bundle removes what it added through the {@code Supervisor} service;
 * an operator (JMX, the shell) removes what any bundle added so; nobody removes an OSGi service registration
 * by name, since the supervisor follows the registration: it belongs to the bundle that registered it.
 */
final class RemovalRule {

  /** How the service came to be supervised, as seen from the caller. */
  enum AddedBy {
    /** Through the caller's own view of the {@code Supervisor} service. */
    THE_CALLER,
    /** Through another bundle's view of the {@code Supervisor} service. */
    ANOTHER_BUNDLE,
    /**
     * Not through the {@code Supervisor} service: a whiteboard service, a supervised DS component, or a
     * rejected registration of either.
     */
    AN_OSGI_SERVICE
  }

  private RemovalRule() {}

  /**
   * @param name the service
   * @param owner who it belongs to, as its snapshot shows it ({@code "com.acme.workers [42]"})
   * @param addedBy how it was added, as seen from the caller
   * @param caller the calling bundle as an owner is shown, or null for an operator
   * @return null if the caller may remove it; else the refusal, naming the service and its owner, and saying
   *     what to do instead
   */
  static SupervisorException refusal(String name, String owner, AddedBy addedBy, String caller) {
    return switch (addedBy) {
      case THE_CALLER -> null;
      case ANOTHER_BUNDLE -> caller == null ? null : new SupervisorException(Kind.NOT_OWNER, name,
          "cannot remove service '" + name + "': bundle " + owner + " added it, not " + caller
              + "; a bundle removes only what it added; nothing was removed");
      case AN_OSGI_SERVICE -> new SupervisorException(Kind.NOT_OWNER, name,
          "cannot remove service '" + name + "': it is registered as an OSGi service (or component) by bundle "
              + owner + ", which it belongs to; unregister it there (or stop that bundle), or stop it with stop; "
              + "nothing was removed");
    };
  }
}
