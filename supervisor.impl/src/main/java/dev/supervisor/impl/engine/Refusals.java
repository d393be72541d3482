package dev.supervisor.impl.engine;

import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.api.SupervisorException.Kind;

/** The errors the machine answers callers with, worded once: each names the service (or group) concerned. */
final class Refusals {
  private Refusals() {}

  static SupervisorException stopped(String name) {
    return new SupervisorException(Kind.SUPERVISOR_STOPPED, name, "the supervisor has been shut down"
        + (name == null ? "" : "; service '" + name + "' cannot be changed"));
  }

  static SupervisorException alreadyExists(String name, String existingOwner) {
    return new SupervisorException(Kind.ALREADY_EXISTS, name, "service '" + name + "': property " + ServiceSpec.NAME
        + " = \"" + name + "\": a service of that name is already supervised (from " + existingOwner + ")");
  }

  /**
   * @param name the name asked for, or null when asked by registration id
   * @param id the registration id asked for, or 0
   * @param replaced whether the name is supervised, but under another registration
   */
  static SupervisorException unknownService(String name, long id, boolean replaced) {
    String which = name == null ? "registration #" + id : "service named '" + name + "'";
    return new SupervisorException(Kind.UNKNOWN_SERVICE, name, "no " + which + " is supervised"
        + (replaced ? " under that registration (it was removed and added again)" : ""));
  }

  static SupervisorException removed(String name) {
    return new SupervisorException(Kind.UNKNOWN_SERVICE, name, "service '" + name + "' was removed");
  }

  static SupervisorException removedUncleanly(String name, Object stopFailure) {
    return new SupervisorException(Kind.STOP_FAILURE, name, "service '" + name
        + "' was removed, but it did not stop cleanly: " + stopFailure);
  }

  static SupervisorException unknownGroup(String path) {
    return new SupervisorException(Kind.UNKNOWN_GROUP, null, "no group '" + path + "' exists");
  }

  static SupervisorException cannot(String what, String name, String why) {
    return new SupervisorException(Kind.ILLEGAL_STATE, name, "cannot " + what + " service '" + name + "': " + why);
  }
}
