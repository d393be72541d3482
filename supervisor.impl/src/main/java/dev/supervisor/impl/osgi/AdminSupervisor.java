package dev.supervisor.impl.osgi;

import dev.supervisor.api.SupervisorAdmin;

/** The {@link SupervisorAdmin} service: removal by name for operators, whichever bundle added the service. */
final class AdminSupervisor implements SupervisorAdmin {
  private final AddedServices added;

  AdminSupervisor(AddedServices added) {
    this.added = added;
  }

  @Override
  public void remove(String name) {
    added.removeByName(name, null);
  }

  @Override
  public String toString() {
    return "SupervisorAdmin";
  }
}
